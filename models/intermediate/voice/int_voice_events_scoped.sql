{#- The auth_attempt and sensitive_action events of the voice-security unit (SPEC §4.9): attempts whose head
    channel is voice and that have at least one auth_attempt event. Events reach the attempt through its
    contacts in int_contacts_enriched, which already applies the as_of cut-off (SPEC §4.7).
    Incremental: what an attempt contributes depends only on its own contacts and events, so a run recomputes the
    attempts of int_changed_attempts; cx_replace first deletes the stored events of those attempts. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='event_id',
    replace_changed={'attempt_id': 'int_changed_attempts'},
) }}
with

all_attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

changed_attempts as (  -- noqa: ST03
    select * from {{ ref('int_changed_attempts') }}
),

attempts as (
    select all_attempts.*
    from all_attempts
    {%- if is_incremental() %}
    where all_attempts.attempt_id in (select changed_attempts.attempt_id from changed_attempts)
    {%- endif %}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
    {%- if is_incremental() %}
    where initial_contact_id in (select attempts.attempt_id from attempts)
    {%- endif %}
),

events as (
    select * from {{ ref('stg_platform__contact_events') }}
    {%- if is_incremental() %}
    where contact_id in (select contacts.contact_id from contacts)
    {%- endif %}
),

voice_events_joined as (
    select
        events.event_id,
        events.event_type,
        events.event_at,
        events.contact_id,
        contacts.initial_contact_id as attempt_id,
        attempts.attempt_date,
        events.auth_method,
        events.auth_result,
        events.auth_match_score,
        events.synthetic_voice_score,
        events.sensitive_action
    from events
    inner join contacts
        on events.contact_id = contacts.contact_id
    inner join attempts
        on contacts.initial_contact_id = attempts.attempt_id
    where
        attempts.channel = 'voice'
        and events.event_type in ('auth_attempt', 'sensitive_action')
),

attempts_with_auth as (
    select distinct attempt_id
    from voice_events_joined
    where event_type = 'auth_attempt'
),

final as (
    select
        voice_events_joined.event_id,
        voice_events_joined.event_type,
        voice_events_joined.event_at,
        voice_events_joined.contact_id,
        voice_events_joined.attempt_id,
        voice_events_joined.attempt_date,
        -- SPEC §4.9: an auth event without a method has method `unknown`
        case
            when voice_events_joined.event_type = 'auth_attempt'
                then coalesce(nullif(voice_events_joined.auth_method, ''), 'unknown')
        end as auth_method,
        case
            when voice_events_joined.event_type = 'auth_attempt'
                then nullif(voice_events_joined.auth_result, '')
        end as auth_result,
        case
            when voice_events_joined.event_type = 'auth_attempt'
                then voice_events_joined.auth_match_score
        end as auth_match_score,
        case
            when voice_events_joined.event_type = 'auth_attempt'
                then voice_events_joined.synthetic_voice_score
        end as synthetic_voice_score,
        case
            when voice_events_joined.event_type = 'sensitive_action'
                then nullif(voice_events_joined.sensitive_action, '')
        end as sensitive_action,
        {{ cx_batch_at() }} as _batch_at
    from voice_events_joined
    inner join attempts_with_auth
        on voice_events_joined.attempt_id = attempts_with_auth.attempt_id
)

select * from final
