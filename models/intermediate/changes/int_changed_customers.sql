{#- The customers an incremental run must recompute: every customer id with a CRM row (accepted, superseded or
    quarantined) the base model (re)wrote after the watermark, with the key the marts carry (cx_customer_key), so
    a consumer that stores only the key (dim_customers_history) can delete by it. Read by dim_customers_history
    and by int_changed_contacts (a new CRM version may change a platform contact's endpoint match). -#}
{%- set watermark = cx_change_watermark() %}
with

customers as (
    select * from {{ ref('base_crm__customers') }}
),

final as (
    select
        customer_id,
        {{ cx_customer_key('customer_id') }} as customer_key,
        max(_batch_at) as changed_at
    from customers
    where
        _batch_at > {{ watermark }}
        and customer_id is not null
    group by customer_id
)

select * from final
