{#- The orders an incremental run must take into account: every order with a row the base model wrote after the
    watermark, once per customer it was ever delivered with (a moved order changes both customers' journeys). -#}
{%- set watermark = cx_change_watermark() %}
with

orders as (
    select * from {{ ref('base_crm__orders') }}
),

delivered as (
    select
        order_id,
        max(_batch_at) as changed_at
    from orders
    where _batch_at > {{ watermark }}
    group by order_id
),

final as (
    select distinct
        delivered.order_id,
        orders.customer_id,
        delivered.changed_at
    from delivered
    inner join orders
        on delivered.order_id = orders.order_id
)

select * from final
