with

base as (
    select * from {{ ref('base_platform__fraud_cases') }}
),

accepted as (
    select
        fraud_case_id,
        customer_id,
        contact_id,
        reported_at,
        fraud_type,
        confirmed,
        loss_amount,
        _loaded_at,
        _load_date
    from base
    where _status = 'accepted'
),

final as (
    select * from accepted
)

select * from final
