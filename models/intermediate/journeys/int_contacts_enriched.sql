{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='contact_id',
    replace_changed={'contact_id': 'int_changed_contacts'},
) }}
{#- The one stored table of the contact grain (issue #22): the accepted contacts with what their events say.
    fct_contacts is a view over it and int_attempts_chained. Incremental: a run recomputes the contacts of
    int_changed_contacts (contact row or events rewritten) and first deletes their stored rows (cx_replace). With
    the default as_of every accepted contact is in scope (initiated_at <= its disconnected_at <= as_of); a changed
    explicit as_of is a changed var, which makes scripts.nightly rebuild from scratch. -#}
{#- a night's contacts and events are few: each is read once and kept for its two uses below -#}
{%- set night_materialized = cx_cte_materialized() ~ ' ' if is_incremental() else '' %}
with

changed_contacts as (  -- noqa: ST03
    select * from {{ ref('int_changed_contacts') }}
),

contacts as {{ night_materialized }}(
    -- a night reads tonight's contacts once, for both uses below (the view reads every stored contact: 0.6-1.1 s
    -- a read at L)
    select * from {{ ref('stg_platform__contacts') }}
    {%- if is_incremental() %}
    where contact_id in (select changed_contacts.contact_id from changed_contacts)
    {%- endif %}
),

events as {{ night_materialized }}(
    -- every accepted event belongs to an accepted contact (base quarantines the others as orphans), so the
    -- counts need no join with contacts; only the hold pairing below needs their disconnected_at. A night
    -- reads tonight's contacts' events once, for the counts and the pairing
    select * from {{ ref('stg_platform__contact_events') }}
    {%- if is_incremental() %}
    where contact_id in (select changed_contacts.contact_id from changed_contacts)
    {%- endif %}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

contact_ends as (
    -- a full refresh reads the contacts a second time, narrow, for the hold pairing: one CTE read twice is
    -- materialised whole by DuckDB (every column of every contact, 4-13 s at L), two reads are pruned each. A
    -- night's few contacts are read once (contacts above)
    select
        contact_id,
        disconnected_at
    {%- if is_incremental() %}
        from contacts
    {%- else %}
        from {{ ref('stg_platform__contacts') }}
    {%- endif %}
),

hold_events as (
    -- a full refresh reads the events a second time, narrow, for the hold pairing, for the reason contact_ends
    -- gives: with the pairing and the counts both reading one CTE of the events, DuckDB fanned all 59 M events of
    -- L out to both (this model alone at L, full refresh: 31 s and 67 CPU-seconds; 16 s and 31 with this read)
    select
        contact_id,
        event_id,
        event_type,
        event_at
    {%- if is_incremental() %}
        from events
    {%- else %}
        from {{ ref('stg_platform__contact_events') }}
    {%- endif %}
),

holds_with_next_hold_end as (
    -- only hold events take part in the pairing, so only they are sorted (not every event of every contact)
    select
        hold_events.contact_id,
        hold_events.event_type,
        hold_events.event_at,
        contact_ends.disconnected_at,
        -- SPEC §4.5: each hold_start runs to the next hold_end of the same contact
        min(case when hold_events.event_type = 'hold_end' then hold_events.event_at end) over (
            partition by hold_events.contact_id
            order by hold_events.event_at, hold_events.event_id
            rows between 1 following and unbounded following
        ) as next_hold_end_at
    from hold_events
    inner join contact_ends
        on hold_events.contact_id = contact_ends.contact_id
    where hold_events.event_type in ('hold_start', 'hold_end')
),

holds_closed as (
    select
        contact_id,
        -- an unmatched hold_start closes at disconnect
        {{ cx_sum(cx_seconds_between('event_at', 'coalesce(next_hold_end_at, disconnected_at)')) }}
            as hold_seconds
    from holds_with_next_hold_end
    where event_type = 'hold_start'
    group by contact_id
),

events_counted as (
    select
        contact_id,
        count(case when event_type in ('bot_start', 'bot_turn') then 1 end) > 0 as has_bot,
        count(case when event_type = 'bot_handoff' then 1 end) > 0 as has_bot_handoff,
        count(case when event_type in ('ai_suggestion', 'ai_summary') then 1 end) > 0 as has_ai_assist,
        count(case when event_type = 'ai_suggestion' then 1 end) as ai_suggestions,
        count(case when event_type = 'ai_suggestion' and is_suggestion_accepted then 1 end)
            as ai_suggestions_accepted,
        count(case when event_type = 'ivr_menu' then 1 end) as ivr_steps,
        count(case when event_type = 'auth_attempt' then 1 end) as auth_attempts,
        count(case when event_type = 'auth_attempt' and auth_result = 'fail' then 1 end) as failed_auths,
        count(case when event_type = 'sensitive_action' then 1 end) as sensitive_actions,
        max(case when event_type = 'auth_attempt' then synthetic_voice_score end) as max_synthetic_voice_score
    from events
    group by contact_id
),

event_facts as (
    select
        events_counted.*,
        holds_closed.hold_seconds
    from events_counted
    left join holds_closed
        on events_counted.contact_id = holds_closed.contact_id
),

in_scope as (
    -- SPEC §4.7: contacts initiated after as_of are left out (not quarantined)
    select contacts.*
    from contacts
    cross join as_of
    where contacts.initiated_at <= as_of.as_of
),

enriched as (
    select
        in_scope.contact_id,
        in_scope.initial_contact_id,
        in_scope.previous_contact_id,
        in_scope.customer_id,
        {{ cx_customer_key('in_scope.customer_id') }} as customer_key,
        in_scope.channel,
        in_scope.initiation_method,
        in_scope.queue,
        in_scope.agent_id,
        in_scope.intent,
        in_scope.initiated_at,
        {{ cx_to_reporting_date('in_scope.initiated_at') }} as contact_date,
        in_scope.enqueued_at,
        in_scope.connected_to_agent_at,
        in_scope.disconnected_at,
        in_scope.disconnect_reason,
        in_scope.disposition,
        in_scope.customer_endpoint_hash,
        in_scope.case_id,
        in_scope.source_system,
        in_scope.identity_method,
        in_scope.initiation_method = 'transfer' as is_transfer,
        in_scope.connected_to_agent_at is not null as is_agent_connected,
        coalesce(event_facts.has_bot, false) as has_bot,
        coalesce(event_facts.has_bot_handoff, false) as has_bot_handoff,
        coalesce(event_facts.has_ai_assist, false) as has_ai_assist,
        coalesce(event_facts.ai_suggestions, 0) as ai_suggestions,
        coalesce(event_facts.ai_suggestions_accepted, 0) as ai_suggestions_accepted,
        coalesce(event_facts.ivr_steps, 0) as ivr_steps,
        -- SPEC §4.5: enqueued_at → connected_to_agent_at, or → disconnected_at when no agent connected
        case
            when in_scope.enqueued_at is null then 0
            else {{ cx_seconds_between(
                'in_scope.enqueued_at',
                'coalesce(in_scope.connected_to_agent_at, in_scope.disconnected_at)'
            ) }}
        end as queue_wait_seconds,
        -- SPEC §8.2: a platform that reports the hold time (Connect's CustomerHoldDuration) is read as reported;
        -- otherwise holds are paired from hold_start / hold_end events (SPEC §4.5)
        coalesce(in_scope.hold_seconds_reported, event_facts.hold_seconds, 0) as hold_seconds,
        -- handle time as the platform itself defines it (Amazon Connect: agent interaction + customer hold +
        -- after-contact work), for its reconciliation mart; null when the source reports none
        case
            when in_scope.connected_to_agent_at is not null and in_scope.agent_interaction_seconds is not null
                then
                    in_scope.agent_interaction_seconds + coalesce(in_scope.hold_seconds_reported, 0)
                    + coalesce(in_scope.after_contact_work_seconds, 0)
        end as platform_handle_seconds,
        case
            when in_scope.connected_to_agent_at is not null
                then {{ cx_seconds_between('in_scope.connected_to_agent_at', 'in_scope.disconnected_at') }}
        end as handle_seconds,
        coalesce(event_facts.auth_attempts, 0) as auth_attempts,
        coalesce(event_facts.failed_auths, 0) as failed_auths,
        coalesce(event_facts.sensitive_actions, 0) as sensitive_actions,
        event_facts.max_synthetic_voice_score,
        {{ cx_batch_at() }} as _batch_at
    from in_scope
    left join event_facts
        on in_scope.contact_id = event_facts.contact_id
)

select * from enriched
