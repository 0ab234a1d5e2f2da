with

base as (
    select * from {{ ref('base_crm__subscriptions') }}
),

accepted as (
    select
        subscription_id,
        customer_id,
        plan,
        mrr,
        currency,
        started_at,
        cancelled_at,
        cancel_reason,
        updated_at,
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
