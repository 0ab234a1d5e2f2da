{#- The customers whose preferred channel (int_customers_preferences_resolved) and current row (dim_customers) an
    incremental run must recompute (and delete first). A preference depends on the customer's CRM versions (the
    latest one's preferred_channel) and on the channels of their identified attempts (the most used one), so: each
    customer with a CRM row rewritten after the watermark (int_changed_customers, which dim_customers also needs:
    its current version and number of versions); each customer of an attempt int_attempts_chained wrote after the
    watermark (a changed attempt, or one re-assigned with it); and each customer a changed attempt belonged to
    before this run (int_replaced_attempts: the customer it moved away from, or lost when it vanished). An attempt
    stamped after the watermark but before this run was rewritten by a run that did not recompute these customers
    (a build that failed or stopped in between), and the customers it moved away from are no longer known: then
    every customer is recomputed. customer_key (cx_customer_key) is what dim_customers replaces by. -#}
{%- set watermark = cx_change_watermark() %}
with

attempts as {{ cx_cte_inlined() }} (
    select * from {{ ref('int_attempts_chained') }}
),

replaced_attempts as (
    select * from {{ ref('int_replaced_attempts') }}
    where changed_at > {{ watermark }}
),

changed_customers as (
    select * from {{ ref('int_changed_customers') }}
    where changed_at > {{ watermark }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

rewritten_attempts as (
    select
        customer_id,
        _batch_at as changed_at
    from attempts
    where _batch_at > {{ watermark }}
),

missed_runs as (
    -- the latest run that rewrote attempts after the watermark without recomputing these customers; null if none
    select max(_batch_at) as missed_at
    from attempts
    where _batch_at > {{ watermark }} and _batch_at < {{ cx_batch_at() }}
),

every_customer as (
    select
        customers.customer_id,
        missed_runs.missed_at as changed_at
    from customers
    cross join missed_runs
    where missed_runs.missed_at is not null
    union all
    select
        attempts.customer_id,
        missed_runs.missed_at as changed_at
    from attempts
    cross join missed_runs
    where missed_runs.missed_at is not null
),

changes as (
    select
        customer_id,
        changed_at
    from changed_customers
    union all
    select
        customer_id,
        changed_at
    from rewritten_attempts
    union all
    select
        customer_id,
        changed_at
    from replaced_attempts
    union all
    select
        customer_id,
        changed_at
    from every_customer
),

final as (
    select
        customer_id,
        {{ cx_customer_key('customer_id') }} as customer_key,
        max(changed_at) as changed_at
    from changes
    where customer_id is not null
    group by customer_id
)

select * from final
