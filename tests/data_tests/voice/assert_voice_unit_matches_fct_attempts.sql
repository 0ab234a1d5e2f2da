-- The voice unit = fct_attempts' voice attempts with auth events (same auth count and max score).
with

core_attempts as (
    select * from {{ ref('fct_attempts') }}
),

voice_attempts as (
    select * from {{ ref('int_voice_attempts_scored') }}
),

core_voice_attempts as (
    select
        attempt_id,
        auth_attempts,
        max_synthetic_voice_score
    from core_attempts
    where
        channel = 'voice'
        and auth_attempts > 0
),

compared as (
    select
        coalesce(core_voice_attempts.attempt_id, voice_attempts.attempt_id) as attempt_id,
        core_voice_attempts.auth_attempts as core_auth_attempts,
        voice_attempts.auth_events as voice_auth_events,
        core_voice_attempts.max_synthetic_voice_score as core_max_score,
        voice_attempts.max_synthetic_voice_score as voice_max_score
    from core_voice_attempts
    full outer join voice_attempts
        on core_voice_attempts.attempt_id = voice_attempts.attempt_id
),

failing as (
    select *
    from compared
    where
        core_auth_attempts is null
        or voice_auth_events is null
        or core_auth_attempts != voice_auth_events
        or core_max_score is distinct from voice_max_score
)

select * from failing
