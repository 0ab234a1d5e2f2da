{{ config(materialized='view') }}
{#- A view (issue #22: journeys are stored once, in int_journeys_aggregated, with the survey scores that speak for
    them, SPEC §4.5): the stored journeys' published columns. customer_key is computed in the stored table (SPEC §7:
    no salt in a view). -#}
with

journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
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
        journeys.ces_score,
        journeys.csat_score,
        journeys.nps_score,
        -- the last rewrite of the journey (a change of its scores rewrites it too)
        journeys._batch_at
    from journeys
)

select * from final
