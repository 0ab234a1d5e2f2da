{{ config(materialized='view') }}
{#- A view (issue #22: the contact grain is stored once, in int_contacts_enriched): each contact with its attempt
    and journey. The endpoint hash and the CRM id stay in the stored table; customer_key, computed there, is what
    the marts carry (SPEC §7), so no salt appears in this view's SQL. -#}
with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

final as (
    -- the endpoint (even as a hash) is not carried into the marts: customer_key identifies the customer
    select
        contacts.contact_id,
        contacts.initial_contact_id as attempt_id,
        attempts.journey_id,
        contacts.previous_contact_id,
        contacts.customer_key,
        contacts.channel,
        contacts.initiation_method,
        contacts.queue,
        contacts.agent_id,
        contacts.intent,
        contacts.initiated_at,
        contacts.contact_date,
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
        contacts.max_synthetic_voice_score,
        contacts.platform_handle_seconds,
        contacts.source_system,
        contacts.identity_method,
        -- the later of the two rows it joins: the contact's or its attempt's (chain and journey) last rewrite
        greatest(contacts._batch_at, attempts._batch_at) as _batch_at
    from contacts
    inner join attempts
        on contacts.initial_contact_id = attempts.attempt_id
)

select * from final
