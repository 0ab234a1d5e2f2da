{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='contact_id',
    on_schema_change='fail',
    replace_changed={'contact_id': 'int_changed_contacts'},
) }}
{#- Incremental: a run rewrites the contacts that changed (int_changed_contacts) and those whose attempt's journey
    was recomputed (int_changed_journeys); cx_replace first deletes the changed contacts, so a contact that left
    the warehouse (quarantined, superseded away) disappears. -#}
with

all_contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

assignments as (
    select * from {{ ref('int_journey_attempts_assigned') }}
),

changed_contacts as (  -- noqa: ST03
    select * from {{ ref('int_changed_contacts') }}
),

changed_journeys as (  -- noqa: ST03
    select * from {{ ref('int_changed_journeys') }}
),

contacts as (
    select all_contacts.*
    from all_contacts
    {%- if is_incremental() %}
    where
        all_contacts.contact_id in (select changed_contacts.contact_id from changed_contacts)
        or all_contacts.initial_contact_id in (
            select assignments.attempt_id
            from assignments
            where assignments.journey_id in (select changed_journeys.journey_id from changed_journeys)
        )
    {%- endif %}
),

final as (
    -- the endpoint (even as a hash) is not carried into the marts: customer_key identifies the customer
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
        contacts.max_synthetic_voice_score,
        contacts.platform_handle_seconds,
        contacts.source_system,
        contacts.identity_method,
        {{ cx_batch_at() }} as _batch_at
    from contacts
    inner join assignments
        on contacts.initial_contact_id = assignments.attempt_id
)

select * from final
