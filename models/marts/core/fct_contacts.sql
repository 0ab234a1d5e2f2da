{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='contact_id',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where contact_id in ({{ cx_changed_contacts() }}) or attempt_id in (select attempt_id from {{ ref('int_journey_attempts_assigned') }} where _batch_at > {{ cx_batch_watermark() }}){% endif %}",
) }}
{#- Incremental: a run rewrites the contacts that changed (cx_changed_contacts) and those whose attempt's journey
    assignment was recomputed since this model's watermark; the pre-hook first deletes both, so a contact that
    left the warehouse (quarantined, superseded away) disappears. -#}
-- depends_on: {{ ref('base_platform__contacts') }}
-- depends_on: {{ ref('base_platform__contact_events') }}
-- depends_on: {{ ref('base_crm__customers') }}
with

all_contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

assignments as (
    select * from {{ ref('int_journey_attempts_assigned') }}
),

contacts as (
    select all_contacts.*
    from all_contacts
    {%- if is_incremental() %}
    where
        all_contacts._batch_at > {{ cx_batch_watermark() }}
        or all_contacts.initial_contact_id in (
            select assignments.attempt_id
            from assignments
            where assignments._batch_at > {{ cx_batch_watermark() }}
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
