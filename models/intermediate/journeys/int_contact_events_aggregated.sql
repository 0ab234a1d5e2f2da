{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='contact_id',
    replace_changed={'contact_id': 'int_changed_contacts'},
) }}
{#- Incremental: a run recomputes the contacts of int_changed_contacts (contact row or events rewritten) and
    first deletes their stored rows (cx_replace), so a contact left without events disappears as in a full
    refresh. -#}
with

events as (
    select * from {{ ref('stg_platform__contact_events') }}
),

contacts as (
    select * from {{ ref('stg_platform__contacts') }}
),

changed_contacts as (  -- noqa: ST03
    select * from {{ ref('int_changed_contacts') }}
),

contact_events as (
    -- every accepted event belongs to an accepted contact (base quarantines the others as orphans), so the
    -- counts need no join with contacts; only the hold pairing below needs their disconnected_at
    select events.*
    from events
    {%- if is_incremental() %}
    where events.contact_id in (select changed_contacts.contact_id from changed_contacts)
    {%- endif %}
),

holds_with_next_hold_end as (
    -- only hold events take part in the pairing, so only they are sorted (not every event of every contact)
    select
        contact_events.contact_id,
        contact_events.event_type,
        contact_events.event_at,
        contacts.disconnected_at,
        -- SPEC §4.5: each hold_start runs to the next hold_end of the same contact
        min(case when contact_events.event_type = 'hold_end' then contact_events.event_at end) over (
            partition by contact_events.contact_id
            order by contact_events.event_at, contact_events.event_id
            rows between 1 following and unbounded following
        ) as next_hold_end_at
    from contact_events
    inner join contacts
        on contact_events.contact_id = contacts.contact_id
    where contact_events.event_type in ('hold_start', 'hold_end')
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
        count(*) as events,
        count(case when event_type in ('bot_start', 'bot_turn') then 1 end) > 0 as has_bot,
        count(case when event_type = 'bot_handoff' then 1 end) > 0 as has_bot_handoff,
        count(case when event_type in ('ai_suggestion', 'ai_summary') then 1 end) > 0 as has_ai_assist,
        count(case when event_type = 'ai_suggestion' then 1 end) as ai_suggestions,
        count(case when event_type = 'ai_suggestion' and is_suggestion_accepted then 1 end)
            as ai_suggestions_accepted,
        count(case when event_type = 'ivr_menu' then 1 end) as ivr_steps,
        count(case when event_type = 'hold_start' then 1 end) as holds,
        count(case when event_type = 'transfer' then 1 end) as transfer_events,
        count(case when event_type = 'auth_attempt' then 1 end) as auth_attempts,
        count(case when event_type = 'auth_attempt' and auth_result = 'fail' then 1 end) as failed_auths,
        count(case when event_type = 'sensitive_action' then 1 end) as sensitive_actions,
        max(case when event_type = 'auth_attempt' then synthetic_voice_score end) as max_synthetic_voice_score
    from contact_events
    group by contact_id
),

aggregated as (
    select
        events_counted.contact_id,
        events_counted.events,
        events_counted.has_bot,
        events_counted.has_bot_handoff,
        events_counted.has_ai_assist,
        events_counted.ai_suggestions,
        events_counted.ai_suggestions_accepted,
        events_counted.ivr_steps,
        events_counted.holds,
        coalesce(holds_closed.hold_seconds, 0) as hold_seconds,
        events_counted.transfer_events,
        events_counted.auth_attempts,
        events_counted.failed_auths,
        events_counted.sensitive_actions,
        events_counted.max_synthetic_voice_score,
        {{ cx_batch_at() }} as _batch_at
    from events_counted
    left join holds_closed
        on events_counted.contact_id = holds_closed.contact_id
)

select * from aggregated
