-- The nightly canary is off: returns one row (a failing error-severity test) only when the environment variable
-- CX_NIGHTLY_CANARY is 'fail'. tests/integration/test_nightly_failures.py sets it to prove that a failing data
-- test stops scripts.nightly from publishing; nothing else ever sets it.
with

canary as (
    select '{{ env_var("CX_NIGHTLY_CANARY", "off") }}' as canary_state
),

final as (
    select canary_state
    from canary
    where canary_state = 'fail'
)

select * from final
