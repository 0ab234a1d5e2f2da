{{ config(materialized='view') }}
{#- A view (issue #22: survey responses are stored once, in int_survey_responses_linked, which computes customer_key
    and response_date: SPEC §7, no salt in a view). -#}
with

responses as (
    select * from {{ ref('int_survey_responses_linked') }}
),

final as (
    select
        response_id,
        contact_id,
        customer_key,
        survey_type,
        score,
        scale_min,
        scale_max,
        score_rescaled,
        responded_at,
        response_date,
        journey_id,
        link_method,
        is_journey_score
    from responses
)

select * from final
