{#- The accepted Salesforce contacts (SPEC §8.5): cases, messaging sessions and voice calls, with what they take from
    elsewhere. A messaging session or voice call takes its case's customer and intent (the case's own, else its
    supplied e-mail / phone for the endpoint match of stg_platform__contacts) and disposition, from the case's
    latest delivery, accepted or excluded as represented by them (case_of_session); it is stamped with the later of
    its own and the case's _batch_at, so a night that closes the case recomputes it. A voice call whose
    vendor_call_key is an accepted Amazon Connect contact (Service Cloud Voice on Connect) carries that contact's
    id in connect_contact_id: stg_platform__contacts counts the pair once (the Connect record, given the call's case
    link), stg_salesforce__contact_events implies nothing for it. A view: recomputed at every build from the
    stored rows. -#}
{{ config(materialized='view') }}
{%- set salesforce_on = 'salesforce' in cx_enabled_sources() %}

with

base as (
    select * from {{ ref('base_platform__contacts') }}
    where
        source_system in ('salesforce', 'amazon_connect')
        {%- if not salesforce_on %}
            -- the adapter is off: no Salesforce row can be accepted, and a constant lets the planner skip the scan
            and false
        {%- endif %}
),

salesforce as (
    select * from base
    where source_system = 'salesforce'
),

cases as (
    select * from {{ ref('stg_salesforce__cases') }}
),

connect_contacts as (
    select contact_id
    from base
    where source_system = 'amazon_connect' and _status = 'accepted'
),

accepted as (
    select * from salesforce
    where _status = 'accepted'
),

lent as (
    select
        accepted.contact_id,
        accepted.initial_contact_id,
        accepted.previous_contact_id,
        case
            when accepted.salesforce_object = 'case' then accepted.customer_id else cases.customer_id
        end as customer_id,
        accepted.channel,
        accepted.initiation_method,
        accepted.queue,
        accepted.agent_id,
        case
            when accepted.salesforce_object = 'case' then accepted.intent else coalesce(cases.intent, accepted.intent)
        end as intent,
        accepted.initiated_at,
        accepted.enqueued_at,
        accepted.connected_to_agent_at,
        accepted.disconnected_at,
        accepted.disconnect_reason,
        case
            when accepted.salesforce_object = 'case' then accepted.disposition else cases.disposition
        end as disposition,
        case
            when accepted.salesforce_object = 'case' then accepted.customer_endpoint_hash
            else coalesce(cases.customer_endpoint_hash, accepted.customer_endpoint_hash)
        end as customer_endpoint_hash,
        accepted.case_id,
        accepted.source_system,
        accepted.salesforce_object,
        accepted.agent_type,
        accepted.vendor_call_key,
        accepted.case_status,
        accepted.case_is_closed,
        accepted.case_closed_at,
        accepted.owner_changes,
        accepted.reopens,
        accepted.hold_seconds_reported,
        accepted.agent_interaction_seconds,
        accepted.after_contact_work_seconds,
        accepted.call_duration_seconds,
        connect_contacts.contact_id as connect_contact_id,
        accepted._loaded_at,
        accepted._load_date,
        case
            when cases._batch_at > accepted._batch_at then cases._batch_at else accepted._batch_at
        end as _batch_at
    from accepted
    left join cases
        on
            accepted.salesforce_object <> 'case'
            and accepted.case_id = cases.case_id
    left join connect_contacts
        on
            accepted.salesforce_object = 'voice_call'
            and accepted.vendor_call_key = connect_contacts.contact_id
),

final as (
    select * from lent
)

select * from final
