{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='journey_id',
    on_schema_change='fail',
    replace_changed={'journey_id': 'int_changed_journeys'},
) }}
{#- Incremental: a run rewrites the journeys of int_changed_journeys, the stored journeys whose maturity flipped
    (cx_is_matured) and those whose survey scores differ from the stored ones (a response linked tonight, or
    relinked to a newer journey); cx_replace first deletes the changed journeys, so one that no longer exists
    disappears. -#}
with

all_journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

survey_responses as (
    select * from {{ ref('int_survey_responses_linked') }}
),

as_of as (  -- noqa: ST03
    select * from {{ ref('int_as_of_resolved') }}
),

changed_journeys as (  -- noqa: ST03
    select * from {{ ref('int_changed_journeys') }}
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

journeys_to_rewrite as (
    select journey_id
    from changed_journeys
    union
    select stored.journey_id
    from {{ this }} as stored
    cross join as_of
    where stored.is_matured <> ({{ cx_is_matured('stored.ended_at', 'as_of.as_of') }})
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
    where all_journeys.journey_id in (select journeys_to_rewrite.journey_id from journeys_to_rewrite)
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
