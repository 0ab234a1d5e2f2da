{#- The subscriptions an incremental run must recompute: every subscription with a row (accepted, superseded or
    quarantined) the base model wrote after the watermark, once per customer it was ever delivered with — so a
    subscription that moved to another customer changes both customers' spells and journeys. -#}
{%- set watermark = cx_change_watermark() %}
with

subscriptions as (
    select * from {{ ref('base_crm__subscriptions') }}
),

delivered as (
    select
        subscription_id,
        max(_batch_at) as changed_at
    from subscriptions
    where _batch_at > {{ watermark }}
    group by subscription_id
),

final as (
    select distinct
        delivered.subscription_id,
        subscriptions.customer_id,
        delivered.changed_at
    from delivered
    inner join subscriptions
        on delivered.subscription_id = subscriptions.subscription_id
)

select * from final
