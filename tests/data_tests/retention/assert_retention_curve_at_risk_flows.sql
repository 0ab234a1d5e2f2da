-- mart_retention_curve: at_risk(d + 1) = at_risk(d) - churned(d) - censored(d); survival never rises.
with

curve as (
    select * from {{ ref('mart_retention_curve') }}
),

consecutive_days as (
    select
        today.ai_interaction_type,
        today.day_number,
        today.at_risk,
        today.churned,
        today.censored,
        today.survival,
        tomorrow.at_risk as next_at_risk,
        tomorrow.survival as next_survival
    from curve as today
    inner join curve as tomorrow
        on
            today.ai_interaction_type = tomorrow.ai_interaction_type
            and today.day_number + 1 = tomorrow.day_number
),

failing as (
    select * from consecutive_days
    where
        next_at_risk != at_risk - churned - censored
        or next_survival > survival + 1e-12
)

select * from failing
