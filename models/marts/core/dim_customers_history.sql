{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='customer_version_key',
    replace_changed={'customer_key': 'int_changed_customers'},
    on_schema_change='fail',
) }}
{#- SCD2 of the CRM's customer versions. Incremental: a customer's versions depend on that customer's CRM rows
    only, so a run recomputes every version of each customer of int_changed_customers (a new version closes the
    previous one: its valid_to and is_current change); cx_replace first deletes the customer's stored versions by
    customer_key, so a customer left without an accepted version disappears, as in a full refresh. -#}
with

changed_customers as (  -- noqa: ST03
    select * from {{ ref('int_changed_customers') }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
    {%- if is_incremental() %}
    where customer_id in (select changed_customers.customer_id from changed_customers)
    {%- endif %}
),

versions as (
    select
        customers.*,
        lead(customers.updated_at)
            over (partition by customers.customer_id order by customers.updated_at)
            as next_updated_at
    from customers
),

final as (
    -- SCD2: each CRM version is valid from its updated_at until the next version's (null while current)
    select
        {{ dbt.hash(dbt.concat([
            "customer_id", "'|'", "cast(updated_at as " ~ dbt.type_string() ~ ")"
        ])) }} as customer_version_key,
        {{ cx_customer_key('customer_id') }} as customer_key,
        segment,
        region,
        preferred_channel,
        created_at,
        updated_at as valid_from,
        next_updated_at as valid_to,
        next_updated_at is null as is_current,
        {{ cx_batch_at() }} as _batch_at
    from versions
)

select * from final
