{#- The auth_attempt and sensitive_action events of the voice-security unit (SPEC §4.9): attempts whose head
    channel is voice and that have at least one auth_attempt event. Events reach the attempt through its
    contacts in int_contacts_enriched, which already applies the as_of cut-off (SPEC §4.7).
    Incremental: what an attempt contributes depends only on its own contacts and events, so a run rewrites the
    attempts int_attempts_chained rechained since this model's watermark; the pre-hook first deletes the events
    of every changed chain (cx_changed_attempts), old and new. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_id',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where attempt_id in ({{ cx_changed_attempts(include_rechained=true) }}){% endif %}",
) }}
-- depends_on: {{ ref('base_platform__contacts') }}
-- depends_on: {{ ref('base_platform__contact_events') }}
-- depends_on: {{ ref('base_crm__customers') }}
-- depends_on: {{ ref('stg_platform__contacts') }}
with

all_attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

attempts as (
    select all_attempts.*
    from all_attempts
    {%- if is_incremental() %}
    where all_attempts._batch_at > {{ cx_batch_watermark() }}
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
