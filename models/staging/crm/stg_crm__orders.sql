with

base as (
    select * from {{ ref('base_crm__orders') }}
),

accepted as (
    select
        order_id,
        customer_id,
        ordered_at,
        amount,
        currency,
        status,
        _loaded_at,
        _load_date,
        _batch_at
    from base
    where _status = 'accepted'
),

final as (
    select * from accepted
)

select * from final
