{#- One row per voice-security attempt (SPEC §4.9) with its synthetic-voice score, flag, high-risk actions and
    confirmed fraud. The flag uses var('synthetic_voice_risk_threshold'); max_synthetic_voice_score is kept so
    analyses/voice/threshold_sweep.sql can try other thresholds.
    Incremental: the score, flag and actions depend only on the attempt's own events, so a run recomputes the
    attempts of int_changed_attempts, and every attempt with confirmed fraud now or in the stored rows (a fraud
    case reported later, or one moving to an earlier attempt, changes an unchanged attempt; int_voice_fraud_linked
    holds a few rows per confirmed case, so this set stays small). cx_replace first deletes the rows of the
    changed attempts, so an attempt that lost its auth events disappears. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='attempt_id',
    replace_changed={'attempt_id': 'int_changed_attempts'},
) }}
{%- set threshold = var('synthetic_voice_risk_threshold') %}
with

all_voice_events as (
    select * from {{ ref('int_voice_events_scoped') }}
),

all_attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

fraud_links as (
    select * from {{ ref('int_voice_fraud_linked') }}
),

changed_attempts as (  -- noqa: ST03
    select * from {{ ref('int_changed_attempts') }}
),
{%- if is_incremental() %}

attempts_to_recompute as (
    select changed_attempts.attempt_id
    from changed_attempts
    union
    select fraud_links.attempt_id
    from fraud_links
    union
    select stored.attempt_id
    from {{ this }} as stored
    where stored.linked_fraud_cases > 0
),
{%- endif %}

voice_events as (
    select all_voice_events.*
    from all_voice_events
    {%- if is_incremental() %}
    where all_voice_events.attempt_id in (select attempts_to_recompute.attempt_id from attempts_to_recompute)
    {%- endif %}
),

attempts as (
    select all_attempts.*
    from all_attempts
    {%- if is_incremental() %}
    where all_attempts.attempt_id in (select attempts_to_recompute.attempt_id from attempts_to_recompute)
    {%- endif %}
),

auth_scores_aggregated as (
    select
        attempt_id,
        count(*) as auth_events,
        count(synthetic_voice_score) as scored_auth_events,
        max(synthetic_voice_score) as max_synthetic_voice_score
    from voice_events
    where event_type = 'auth_attempt'
    group by attempt_id
),

flag_events_ranked as (
    -- the auth events whose score reached the threshold; the first (event_at, then event_id) raises the flag.
    -- The threshold is cast to double, not dbt.type_float(): on DuckDB that is a 32-bit real, and 0.8 would
    -- become 0.800000012, so a score of exactly 0.8 would not be flagged.
    select
        attempt_id,
        event_id,
        event_at,
        row_number() over (partition by attempt_id order by event_at, event_id) as flag_rank
    from voice_events
    where
        event_type = 'auth_attempt'
        and synthetic_voice_score >= cast({{ threshold }} as double)
),

first_flag_events as (
    select
        attempt_id,
        event_id as flag_event_id,
        event_at as flagged_at
    from flag_events_ranked
    where flag_rank = 1
),

actions_after_flag as (
    -- sensitive actions strictly later than the flagging authentication
    select
        voice_events.attempt_id,
        count(*) as high_risk_action_events,
        {{ dbt.listagg(
            'voice_events.sensitive_action',
            "','",
            'order by voice_events.event_at, voice_events.event_id'
        ) }} as sensitive_actions
    from voice_events
    inner join first_flag_events
        on voice_events.attempt_id = first_flag_events.attempt_id
    where
        voice_events.event_type = 'sensitive_action'
        and voice_events.event_at > first_flag_events.flagged_at
    group by voice_events.attempt_id
),

fraud_aggregated as (
    select
        attempt_id,
        count(*) as linked_fraud_cases,
        count(case when is_loss_attributed then 1 end) as attributed_fraud_cases,
        sum(case when is_loss_attributed then loss_amount else 0 end) as attributed_loss_amount
    from fraud_links
    group by attempt_id
),

final as (
    select
        auth_scores_aggregated.attempt_id,
        attempts.customer_id,
        attempts.started_at,
        attempts.ended_at,
        attempts.attempt_date,
        auth_scores_aggregated.auth_events,
        auth_scores_aggregated.scored_auth_events,
        auth_scores_aggregated.max_synthetic_voice_score,
        first_flag_events.flag_event_id is not null as is_flagged,
        first_flag_events.flag_event_id,
        first_flag_events.flagged_at,
        coalesce(actions_after_flag.high_risk_action_events, 0) as high_risk_action_events,
        coalesce(actions_after_flag.high_risk_action_events, 0) > 0 as has_high_risk_action,
        actions_after_flag.sensitive_actions,
        coalesce(fraud_aggregated.linked_fraud_cases, 0) > 0 as is_confirmed_fraud,
        coalesce(fraud_aggregated.linked_fraud_cases, 0) as linked_fraud_cases,
        coalesce(fraud_aggregated.attributed_fraud_cases, 0) as attributed_fraud_cases,
        cast(coalesce(fraud_aggregated.attributed_loss_amount, 0) as decimal(18, 2)) as attributed_loss_amount,
        {{ cx_batch_at() }} as _batch_at
    from auth_scores_aggregated
    inner join attempts
        on auth_scores_aggregated.attempt_id = attempts.attempt_id
    left join first_flag_events
        on auth_scores_aggregated.attempt_id = first_flag_events.attempt_id
    left join actions_after_flag
        on auth_scores_aggregated.attempt_id = actions_after_flag.attempt_id
    left join fraud_aggregated
        on auth_scores_aggregated.attempt_id = fraud_aggregated.attempt_id
)

select * from final
