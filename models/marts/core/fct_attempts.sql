{{ config(materialized='view') }}
{#- A view (issue #22: attempts are stored once, in int_attempts_chained, with their journey and their number in
    it). customer_key is computed in the stored table (SPEC §7: no salt in a view). -#}
with

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

final as (
    select
        attempts.attempt_id,
        attempts.journey_id,
        attempts.attempt_number,
        attempts.customer_key,
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
        attempts._batch_at
    from attempts
)

select * from final
