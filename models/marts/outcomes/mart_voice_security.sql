with

voice_attempts as (
    select * from {{ ref('int_voice_attempts_scored') }}
),

daily as (
    select
        attempt_date,
        count(*) as voice_attempts,
        count(case when is_flagged then 1 end) as flagged_attempts,
        count(case when has_high_risk_action then 1 end) as high_risk_actions,
        count(case when is_confirmed_fraud then 1 end) as fraud_attempts,
        count(case when is_flagged and is_confirmed_fraud then 1 end) as true_positives,
        count(case when is_flagged and not is_confirmed_fraud then 1 end) as false_positives,
        count(case when is_confirmed_fraud and not is_flagged then 1 end) as missed_fraud,
        sum(attributed_fraud_cases) as confirmed_fraud_cases,
        sum(attributed_loss_amount) as confirmed_loss
    from voice_attempts
    group by attempt_date
),

final as (
    select
        attempt_date,
        voice_attempts,
        flagged_attempts,
        {{ cx_safe_divide('flagged_attempts', 'voice_attempts') }} as flag_rate,
        high_risk_actions,
        fraud_attempts,
        true_positives,
        false_positives,
        missed_fraud,
        -- precision = TP / (TP + FP) = true_positives / flagged_attempts
        {{ cx_safe_divide('true_positives', 'flagged_attempts') }} as precision,
        -- recall = TP / (TP + missed) = true_positives / fraud_attempts
        {{ cx_safe_divide('true_positives', 'fraud_attempts') }} as recall,
        cast(confirmed_fraud_cases as {{ dbt.type_bigint() }}) as confirmed_fraud_cases,
        cast(confirmed_loss as decimal(18, 2)) as confirmed_loss
    from daily
)

select * from final
