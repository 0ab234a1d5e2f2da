with

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

assignments as (
    select * from {{ ref('int_journey_attempts_assigned') }}
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
        attempts.max_synthetic_voice_score
    from attempts
    inner join assignments
        on attempts.attempt_id = assignments.attempt_id
)

select * from final
