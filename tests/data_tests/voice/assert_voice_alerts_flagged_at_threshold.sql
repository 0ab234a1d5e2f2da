-- Every alert is flagged (max score >= the threshold) and a sensitive action followed the flag.
with

alerts as (
    select * from {{ ref('fct_voice_risk_alerts') }}
),

failing as (
    select *
    from alerts
    where
        not coalesce(
            max_synthetic_voice_score >= cast({{ var('synthetic_voice_risk_threshold') }} as double)
            and high_risk_action_events > 0,
            false
        )
)

select * from failing
