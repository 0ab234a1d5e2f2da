with

voice_events as (
    select * from {{ ref('int_voice_events_scoped') }}
),

auth_events as (
    select
        attempt_date,
        auth_method,
        auth_result
    from voice_events
    where event_type = 'auth_attempt'
),

daily_methods as (
    select
        attempt_date,
        auth_method,
        count(*) as auth_attempts,
        count(case when auth_result = 'pass' then 1 end) as passed,
        count(case when auth_result = 'fail' then 1 end) as failed,
        count(case when auth_result = 'step_up' then 1 end) as stepped_up
    from auth_events
    group by attempt_date, auth_method
),

final as (
    select
        attempt_date,
        auth_method,
        auth_attempts,
        passed,
        failed,
        stepped_up,
        {{ cx_safe_divide('passed', 'auth_attempts') }} as pass_rate,
        {{ cx_safe_divide('failed', 'auth_attempts') }} as fail_rate,
        {{ cx_safe_divide('stepped_up', 'auth_attempts') }} as step_up_rate
    from daily_methods
)

select * from final
