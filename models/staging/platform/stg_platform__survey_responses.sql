with

base as (
    select * from {{ ref('base_platform__survey_responses') }}
),

accepted as (
    select
        response_id,
        contact_id,
        customer_id,
        survey_type,
        score,
        scale_min,
        scale_max,
        responded_at,
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
