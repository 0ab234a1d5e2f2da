{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='journey_id',
    on_schema_change='fail',
    post_hook="{% if is_incremental() %}{{ cx_delete_missing('journey_id', ref('int_journeys_aggregated'), 'journey_id') }}{% endif %}",
) }}
{#- Incremental: a run rewrites the journeys int_journeys_aggregated recomputed since this model's watermark and
    those whose survey scores differ from the stored ones (a response linked tonight, or relinked to a newer
    journey); the post-hook drops journeys that no longer exist. -#}
with

all_journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

survey_responses as (
    select * from {{ ref('int_survey_responses_linked') }}
),

journey_scores as (
    select
        journey_id,
        max(case when survey_type = 'ces' then score_rescaled end) as ces_score,
        max(case when survey_type = 'csat' then score_rescaled end) as csat_score,
        max(case when survey_type = 'nps' then score_rescaled end) as nps_score
    from survey_responses
    where is_journey_score
    group by journey_id
),
{%- if is_incremental() %}

stored_scores as (
    select
        journey_id,
        ces_score,
        csat_score,
        nps_score
    from {{ this }}
    where ces_score is not null or csat_score is not null or nps_score is not null
),

scores_new as (
    select * from journey_scores
    except
    select * from stored_scores
),

scores_gone as (
    select * from stored_scores
    except
    select * from journey_scores
),

changed_journeys as (
    select journey_id
    from all_journeys
    where _batch_at > {{ cx_batch_watermark() }}
    union
    select journey_id
    from scores_new
    union
    select journey_id
    from scores_gone
),
{%- endif %}

journeys as (
    select all_journeys.*
    from all_journeys
    {%- if is_incremental() %}
    where all_journeys.journey_id in (select changed_journeys.journey_id from changed_journeys)
    {%- endif %}
),

final as (
    select
        journeys.journey_id,
        {{ cx_customer_key('journeys.customer_id') }} as customer_key,
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
        {{ cx_batch_at() }} as _batch_at
    from journeys
    left join journey_scores
        on journeys.journey_id = journey_scores.journey_id
)

select * from final
