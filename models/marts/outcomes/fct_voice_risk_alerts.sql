with

voice_attempts as (
    select * from {{ ref('int_voice_attempts_scored') }}
),

final as (
    -- no raw customer id or endpoint: the customer is the salted customer_key (SPEC §7)
    select
        attempt_id,
        {{ cx_customer_key('customer_id') }} as customer_key,
        started_at,
        attempt_date,
        max_synthetic_voice_score,
        flagged_at,
        flag_event_id,
        high_risk_action_events,
        sensitive_actions,
        is_confirmed_fraud,
        linked_fraud_cases
    from voice_attempts
    where has_high_risk_action
)

select * from final
