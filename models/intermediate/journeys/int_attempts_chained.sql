{%- set window_days = var('repeat_contact_window_days') -%}
{#- the columns of an attempt's chain (the chained CTE below): the attempts CTE takes them by name from tonight's
    chains and from the stored attempts re-assigned tonight, so both sides of its union line up; a column the
    chained CTE adds and this list lacks is not stored -#}
{%- set chain_columns = [
    'attempt_id', 'customer_id', 'customer_key', 'is_identified', 'intent', 'intent_group', 'is_retention_risk',
    'channel', 'head_contact_id', 'source_system', 'started_at', 'ended_at', 'attempt_date', 'contacts',
    'final_disposition', 'transfers', 'has_bot', 'has_bot_handoff', 'is_agent_connected', 'has_ai_assist',
    'ai_interaction_type', 'ivr_steps', 'queue_wait_seconds', 'hold_seconds', 'handled_contacts', 'handle_seconds',
    'auth_attempts', 'failed_auths', 'sensitive_actions', 'max_synthetic_voice_score',
] -%}
{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='attempt_id',
    replace_changed={'attempt_id': 'int_changed_attempts'},
) }}
{#- The one stored table of the attempt grain (issue #22): each transfer chain (SPEC §4.1) with its journey
    (journey_id, attempt_number). fct_attempts is a view over it.
    Incremental: a run recomputes the chains of int_changed_attempts (every changed contact's chain, under its old
    and new initial_contact_id) and, since journey assignment depends only on the attempts of one (customer,
    intent), re-assigns every stored attempt of each pair that has a changed attempt, under its old pair (its
    stored row, int_replaced_attempts) and its new one; unidentified changed attempts are journeys of their own.
    Journey ids are first-attempt ids, so the other pairs' rows stay valid. cx_replace deletes the rows it returns
    and those of the changed attempts first, so a chain left without contacts disappears as in a full refresh. -#}
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

replaced_attempts as (  -- noqa: ST03
    -- the changed attempts as the last run stored them (read before this run rewrites them)
    select * from {{ ref('int_replaced_attempts') }}
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

chained as (
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
        typed.max_synthetic_voice_score
    from typed
    left join intents
        on typed.intent = intents.intent
),
{%- if is_incremental() %}

changed_pairs as (
    -- the pairs of the changed attempts as stored by the last run (old: int_replaced_attempts) and as chained now
    -- (new). The stored table is read twice below, not through one CTE: DuckDB materialises a CTE read more than
    -- once whole (every column of every stored attempt), separate reads are pruned and filtered each
    select
        customer_id,
        intent
    from replaced_attempts
    where customer_id is not null
    union
    select
        customer_id,
        intent
    from chained
    where customer_id is not null
),

stored_pair_attempt_ids as (
    -- the unchanged attempts of those pairs, found on a narrow read (id, customer, intent): joining the pairs
    -- to every column of the stored table made DuckDB hash all 6.6 M identified stored attempts whole, 3.5 s
    -- at L on a night with nothing to re-assign
    select stored.attempt_id
    from {{ this }} as stored
    inner join changed_pairs
        on
            stored.customer_id = changed_pairs.customer_id
            and stored.intent = changed_pairs.intent
    where stored.attempt_id not in (select changed_attempts.attempt_id from changed_attempts)
),

stored_pair_attempts as (
    -- those attempts as stored (their chains did not change; their journeys may)
    select stored.*
    from {{ this }} as stored
    where stored.attempt_id in (select stored_pair_attempt_ids.attempt_id from stored_pair_attempt_ids)
),
{%- endif %}

attempts as (
    select
        {%- for column in chain_columns %}
            chained.{{ column }}{%- if not loop.last %},{% endif %}
        {%- endfor %}
    from chained
    {%- if is_incremental() %}
    union all
    select
        {%- for column in chain_columns %}
            stored_pair_attempts.{{ column }}{%- if not loop.last %},{% endif %}
        {%- endfor %}
    from stored_pair_attempts
    {%- endif %}
),

identified_ordered as (
    select
        attempt_id,
        customer_id,
        intent,
        started_at,
        ended_at,
        -- the latest end among ALL earlier attempts of this customer and intent (SPEC §4.1)
        max(ended_at) over (
            partition by customer_id, intent
            order by started_at, attempt_id
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_ended_at
    from attempts
    where is_identified
),

journey_starts_flagged as (
    select
        identified_ordered.*,
        -- an exact elapsed interval, boundary inclusive: joins when started_at <= latest end + window
        case
            when identified_ordered.latest_earlier_ended_at is null then 1
            when
                identified_ordered.started_at <= {{ dbt.dateadd('day', window_days, 'latest_earlier_ended_at') }}
                then 0
            else 1
        end as is_journey_start
    from identified_ordered
),

journeys_numbered as (
    select
        journey_starts_flagged.*,
        sum(journey_starts_flagged.is_journey_start) over (
            partition by journey_starts_flagged.customer_id, journey_starts_flagged.intent
            order by journey_starts_flagged.started_at, journey_starts_flagged.attempt_id
            rows between unbounded preceding and current row
        ) as journey_number
    from journey_starts_flagged
),

identified_assigned as (
    select
        attempt_id,
        first_value(attempt_id) over (
            partition by customer_id, intent, journey_number
            order by started_at, attempt_id
        ) as journey_id,
        row_number() over (
            partition by customer_id, intent, journey_number
            order by started_at, attempt_id
        ) as attempt_number
    from journeys_numbered
),

final as (
    select
        attempts.*,
        -- an attempt with no customer is a journey of its own
        coalesce(identified_assigned.journey_id, attempts.attempt_id) as journey_id,
        cast(coalesce(identified_assigned.attempt_number, 1) as {{ dbt.type_bigint() }}) as attempt_number,
        {{ cx_batch_at() }} as _batch_at
    from attempts
    left join identified_assigned
        on attempts.attempt_id = identified_assigned.attempt_id
)

select * from final
