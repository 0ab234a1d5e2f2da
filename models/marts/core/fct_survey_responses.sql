with

responses as (
    select * from {{ ref('int_survey_responses_linked') }}
),

final as (
    select
        response_id,
        contact_id,
        {{ cx_customer_key('customer_id') }} as customer_key,
        survey_type,
        score,
        scale_min,
        scale_max,
        score_rescaled,
        responded_at,
        {{ cx_to_reporting_date('responded_at') }} as response_date,
        journey_id,
        link_method,
        is_journey_score
    from responses
)

select * from final
