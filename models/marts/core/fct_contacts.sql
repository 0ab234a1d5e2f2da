with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

assignments as (
    select * from {{ ref('int_journey_attempts_assigned') }}
),

final as (
    -- customer_endpoint (PII) is deliberately not carried into the marts
    select
        contacts.contact_id,
        contacts.initial_contact_id as attempt_id,
        assignments.journey_id,
        contacts.previous_contact_id,
        {{ cx_customer_key('contacts.customer_id') }} as customer_key,
        contacts.channel,
        contacts.initiation_method,
        contacts.queue,
        contacts.agent_id,
        contacts.intent,
        contacts.initiated_at,
        {{ cx_to_reporting_date('contacts.initiated_at') }} as contact_date,
        contacts.enqueued_at,
        contacts.connected_to_agent_at,
        contacts.disconnected_at,
        contacts.disconnect_reason,
        contacts.disposition,
        contacts.case_id,
        contacts.is_transfer,
        contacts.is_agent_connected,
        contacts.has_bot,
        contacts.has_bot_handoff,
        contacts.has_ai_assist,
        contacts.ai_suggestions,
        contacts.ai_suggestions_accepted,
        contacts.ivr_steps,
        contacts.queue_wait_seconds,
        contacts.hold_seconds,
        contacts.handle_seconds,
        contacts.auth_attempts,
        contacts.failed_auths,
        contacts.sensitive_actions,
        contacts.max_synthetic_voice_score
    from contacts
    inner join assignments
        on contacts.initial_contact_id = assignments.attempt_id
)

select * from final
