{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='attempt_id',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where attempt_id in ({{ cx_changed_attempts() }}){% endif %}",
) }}
{#- Incremental: a run rewrites the attempts whose journey assignment was recomputed since this model's watermark
    (every attempt of a (customer, intent) with a changed attempt, which includes every rechained attempt); the
    pre-hook first deletes the changed chains, so an attempt that no longer exists disappears. -#}
-- depends_on: {{ ref('base_platform__contacts') }}
-- depends_on: {{ ref('base_platform__contact_events') }}
-- depends_on: {{ ref('base_crm__customers') }}
-- depends_on: {{ ref('stg_platform__contacts') }}
with

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

assignments as (
    select * from {{ ref('int_journey_attempts_assigned') }}
    {%- if is_incremental() %}
    where _batch_at > {{ cx_batch_watermark() }}
    {%- endif %}
),

final as (
    select
        attempts.attempt_id,
        assignments.journey_id,
        assignments.attempt_number,
        {{ cx_customer_key('attempts.customer_id') }} as customer_key,
        attempts.is_identified,
        attempts.intent,
        attempts.intent_group,
        attempts.is_retention_risk,
        attempts.channel,
        attempts.head_contact_id,
        attempts.started_at,
        attempts.ended_at,
        attempts.attempt_date,
        attempts.contacts,
        attempts.final_disposition,
        attempts.transfers,
        attempts.has_bot,
        attempts.has_bot_handoff,
        attempts.is_agent_connected,
        attempts.has_ai_assist,
        attempts.ai_interaction_type,
        attempts.ivr_steps,
        attempts.queue_wait_seconds,
        attempts.hold_seconds,
        attempts.handled_contacts,
        attempts.handle_seconds,
        attempts.auth_attempts,
        attempts.failed_auths,
        attempts.sensitive_actions,
        attempts.max_synthetic_voice_score,
        attempts.source_system,
        {{ cx_batch_at() }} as _batch_at
    from attempts
    inner join assignments
        on attempts.attempt_id = assignments.attempt_id
)

select * from final
