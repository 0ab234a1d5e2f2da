{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='attempt_id',
    replace_changed={'attempt_id': 'int_changed_attempts'},
) }}
{#- Incremental: a run recomputes the chains of int_changed_attempts (every changed contact's chain, under its old
    and new initial_contact_id) and first deletes their stored rows (cx_replace), so a chain left without
    contacts disappears as in a full refresh. -#}
with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

intents as (
    select * from {{ ref('intents') }}
),

changed_attempts as (  -- noqa: ST03
    select * from {{ ref('int_changed_attempts') }}
),

contacts_in_chain_order as (
    select
        contacts.*,
        -- the final disposition comes from the contact with the latest disconnected_at (ties: larger contact_id)
        row_number() over (
            partition by contacts.initial_contact_id
            order by contacts.disconnected_at desc, contacts.contact_id desc
        ) as last_disconnect_rank,
        -- the head is the contact whose id is the initial_contact_id; if missing, the first in chain order
        row_number() over (
            partition by contacts.initial_contact_id
            order by
                case when contacts.contact_id = contacts.initial_contact_id then 0 else 1 end,
                contacts.initiated_at,
                contacts.contact_id
        ) as head_rank
    from contacts
    {%- if is_incremental() %}
    where contacts.initial_contact_id in (select changed_attempts.attempt_id from changed_attempts)
    {%- endif %}
),

first_customer as (
    -- SPEC §4.1: chain order is (initiated_at, contact_id); the first non-null customer and intent win
    select
        initial_contact_id,
        customer_id,
        row_number() over (partition by initial_contact_id order by initiated_at, contact_id) as position
    from contacts_in_chain_order
    where customer_id is not null
),

first_intent as (
    select
        initial_contact_id,
        intent,
        row_number() over (partition by initial_contact_id order by initiated_at, contact_id) as position
    from contacts_in_chain_order
    where intent is not null
),

chains as (
    select
        initial_contact_id as attempt_id,
        min(initiated_at) as started_at,
        max(disconnected_at) as ended_at,
        count(*) as contacts,
        max(case when head_rank = 1 then channel end) as channel,
        max(case when head_rank = 1 then contact_id end) as head_contact_id,
        -- a chain lives on one platform; its head's source names it
        max(case when head_rank = 1 then source_system end) as source_system,
        max(case when last_disconnect_rank = 1 then disposition end) as final_disposition,
        count(case when is_transfer then 1 end) as transfers,
        bool_or(has_bot) as has_bot,
        bool_or(has_bot_handoff) as has_bot_handoff,
        bool_or(is_agent_connected) as is_agent_connected,
        bool_or(has_ai_assist) as has_ai_assist,
        cast(sum(ivr_steps) as {{ dbt.type_bigint() }}) as ivr_steps,
        {{ cx_sum('queue_wait_seconds') }} as queue_wait_seconds,
        {{ cx_sum('hold_seconds') }} as hold_seconds,
        count(case when is_agent_connected then 1 end) as handled_contacts,
        coalesce({{ cx_sum('handle_seconds') }}, 0) as handle_seconds,
        cast(sum(auth_attempts) as {{ dbt.type_bigint() }}) as auth_attempts,
        cast(sum(failed_auths) as {{ dbt.type_bigint() }}) as failed_auths,
        cast(sum(sensitive_actions) as {{ dbt.type_bigint() }}) as sensitive_actions,
        max(max_synthetic_voice_score) as max_synthetic_voice_score
    from contacts_in_chain_order
    group by initial_contact_id
),

typed as (
    select
        chains.*,
        first_customer.customer_id,
        coalesce(first_intent.intent, 'unclassified') as intent,
        -- SPEC §4.2
        case
            when chains.has_bot and not chains.is_agent_connected then 'self_service_ai'
            when chains.has_bot and chains.is_agent_connected then 'ai_to_agent'
            when chains.is_agent_connected and chains.has_ai_assist then 'ai_assisted_agent'
            when chains.is_agent_connected then 'human_only'
            else 'unhandled'
        end as ai_interaction_type
    from chains
    left join first_customer
        on
            chains.attempt_id = first_customer.initial_contact_id
            and first_customer.position = 1
    left join first_intent
        on
            chains.attempt_id = first_intent.initial_contact_id
            and first_intent.position = 1
),

final as (
    select
        typed.attempt_id,
        typed.customer_id,
        {{ cx_customer_key('typed.customer_id') }} as customer_key,
        typed.customer_id is not null as is_identified,
        typed.intent,
        coalesce(intents.intent_group, 'other') as intent_group,
        coalesce(intents.is_retention_risk, false) as is_retention_risk,
        typed.channel,
        typed.head_contact_id,
        typed.source_system,
        typed.started_at,
        typed.ended_at,
        {{ cx_to_reporting_date('typed.started_at') }} as attempt_date,
        typed.contacts,
        typed.final_disposition,
        typed.transfers,
        typed.has_bot,
        typed.has_bot_handoff,
        typed.is_agent_connected,
        typed.has_ai_assist,
        typed.ai_interaction_type,
        typed.ivr_steps,
        typed.queue_wait_seconds,
        typed.hold_seconds,
        typed.handled_contacts,
        typed.handle_seconds,
        typed.auth_attempts,
        typed.failed_auths,
        typed.sensitive_actions,
        typed.max_synthetic_voice_score,
        {{ cx_batch_at() }} as _batch_at
    from typed
    left join intents
        on typed.intent = intents.intent
)

select * from final
