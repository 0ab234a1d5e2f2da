-- Σ attempt columns of mart_deflection_vs_resolution equal the same counts over fct_attempts (all attempts), and Σ
-- journey columns equal the matured identified journeys of fct_journeys (FCR, contained, false containment,
-- contained resolved).
{{ config(tags=['reconciliation'], severity='warn') }}
with

mart as (
    select * from {{ ref('mart_deflection_vs_resolution') }}
),

attempts as (
    select * from {{ ref('fct_attempts') }}
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

mart_totals as (
    select
        coalesce(sum(attempts), 0) as attempts,
        coalesce(sum(deflected_attempts), 0) as deflected_attempts,
        coalesce(sum(bot_attempts), 0) as bot_attempts,
        coalesce(sum(contained_attempts), 0) as contained_attempts,
        coalesce(sum(abandoned_attempts), 0) as abandoned_attempts,
        coalesce(sum(handled_contacts), 0) as handled_contacts,
        coalesce(sum(handle_seconds_total), 0) as handle_seconds_total,
        coalesce(sum(matured_journeys), 0) as matured_journeys,
        coalesce(sum(fcr_journeys), 0) as fcr_journeys,
        coalesce(sum(contained_journeys), 0) as contained_journeys,
        coalesce(sum(false_containment_journeys), 0) as false_containment_journeys,
        coalesce(sum(contained_resolved_journeys), 0) as contained_resolved_journeys
    from mart
),

attempt_totals as (
    select
        count(*) as attempts,
        count(case when not is_agent_connected then 1 end) as deflected_attempts,
        count(case when has_bot then 1 end) as bot_attempts,
        count(case when ai_interaction_type = 'self_service_ai' then 1 end) as contained_attempts,
        count(case when final_disposition = 'abandoned' then 1 end) as abandoned_attempts,
        coalesce(sum(handled_contacts), 0) as handled_contacts,
        coalesce(sum(handle_seconds), 0) as handle_seconds_total
    from attempts
),

journey_totals as (
    select
        count(*) as matured_journeys,
        count(case when is_fcr then 1 end) as fcr_journeys,
        count(case when ai_interaction_type = 'self_service_ai' then 1 end) as contained_journeys,
        count(case when ai_interaction_type = 'self_service_ai' and not is_fcr then 1 end)
            as false_containment_journeys,
        count(case when ai_interaction_type = 'self_service_ai' and is_fcr then 1 end)
            as contained_resolved_journeys
    from journeys
    where is_identified and is_matured
),

compared as (
    select
        mart_totals.*,
        attempt_totals.attempts as expected_attempts,
        attempt_totals.deflected_attempts as expected_deflected_attempts,
        attempt_totals.bot_attempts as expected_bot_attempts,
        attempt_totals.contained_attempts as expected_contained_attempts,
        attempt_totals.abandoned_attempts as expected_abandoned_attempts,
        attempt_totals.handled_contacts as expected_handled_contacts,
        attempt_totals.handle_seconds_total as expected_handle_seconds_total,
        journey_totals.matured_journeys as expected_matured_journeys,
        journey_totals.fcr_journeys as expected_fcr_journeys,
        journey_totals.contained_journeys as expected_contained_journeys,
        journey_totals.false_containment_journeys as expected_false_containment_journeys,
        journey_totals.contained_resolved_journeys as expected_contained_resolved_journeys
    from mart_totals
    cross join attempt_totals
    cross join journey_totals
)

select * from compared
where
    attempts <> expected_attempts
    or deflected_attempts <> expected_deflected_attempts
    or bot_attempts <> expected_bot_attempts
    or contained_attempts <> expected_contained_attempts
    or abandoned_attempts <> expected_abandoned_attempts
    or handled_contacts <> expected_handled_contacts
    or abs(handle_seconds_total - expected_handle_seconds_total) > 1e-6 * greatest(1, expected_handle_seconds_total)
    or matured_journeys <> expected_matured_journeys
    or fcr_journeys <> expected_fcr_journeys
    or contained_journeys <> expected_contained_journeys
    or false_containment_journeys <> expected_false_containment_journeys
    or contained_resolved_journeys <> expected_contained_resolved_journeys
