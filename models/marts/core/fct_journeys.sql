{{ config(materialized='view') }}
{#- A view (issue #22: journeys are stored once, in int_journeys_aggregated): each journey with the survey scores
    that speak for it (SPEC §4.5). customer_key is computed in the stored table (SPEC §7: no salt in a view). -#}
with

journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

survey_responses as (
    select * from {{ ref('int_survey_responses_linked') }}
),

journey_scores as (
    -- the responses that are a journey's score (is_journey_score) are picked inside the aggregates, not by a
    -- where clause: grouped on journey_id alone, this CTE is unique on the key of the left join below, so a query
    -- that reads no score and not _batch_at lets DuckDB drop the join (a filter before the grouping keeps it:
    -- 0.27 s against 0.008 s for a count at scale L; a response that is no journey's score adds a row of nulls,
    -- which the left join gives anyway)
    select
        journey_id,
        max(case when is_journey_score and survey_type = 'ces' then score_rescaled end) as ces_score,
        max(case when is_journey_score and survey_type = 'csat' then score_rescaled end) as csat_score,
        max(case when is_journey_score and survey_type = 'nps' then score_rescaled end) as nps_score,
        max(case when is_journey_score then _batch_at end) as _batch_at
    from survey_responses
    group by journey_id
),

final as (
    select
        journeys.journey_id,
        journeys.customer_key,
        journeys.is_identified,
        journeys.intent,
        journeys.intent_group,
        journeys.is_retention_risk,
        journeys.started_at,
        journeys.ended_at,
        journeys.journey_date,
        journeys.journey_month,
        journeys.first_attempt_id,
        journeys.last_attempt_id,
        journeys.channel,
        journeys.ai_interaction_type,
        journeys.ai_path,
        journeys.any_ai_involved,
        journeys.attempts,
        journeys.channels_used,
        journeys.channel_switches,
        journeys.is_matured,
        journeys.is_pending,
        journeys.is_fcr,
        journeys.is_one_touch,
        journeys.is_resolved,
        journeys.is_repeat,
        journeys.is_channel_hopping,
        journeys.first_attempt_disposition,
        journeys.last_attempt_disposition,
        journeys.first_attempt_transfers,
        journeys.first_attempt_handled_contacts,
        journeys.first_attempt_handle_seconds,
        journeys.extra_attempts,
        journeys.transfers,
        journeys.ivr_steps,
        journeys.queue_wait_minutes,
        journeys.hold_minutes,
        journeys.failed_auths,
        journeys.effort_index,
        journeys.is_high_effort,
        journeys.effort_band,
        journeys.effort_band_order,
        journey_scores.ces_score,
        journey_scores.csat_score,
        journey_scores.nps_score,
        -- the last rewrite of the journey or of a response scoring it (survey linking is incremental too)
        greatest(journeys._batch_at, coalesce(journey_scores._batch_at, journeys._batch_at)) as _batch_at
    from journeys
    left join journey_scores
        on journeys.journey_id = journey_scores.journey_id
)

select * from final
