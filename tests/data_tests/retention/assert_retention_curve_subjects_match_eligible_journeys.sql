-- mart_retention_curve day 0: `all` and the sum over AI types both have every retention-eligible journey at risk.
-- (as many as mart_retention_by_ai_type counts)
with

curve as (
    select * from {{ ref('mart_retention_curve') }}
),

retention as (
    select * from {{ ref('mart_retention_by_ai_type') }}
),

curve_day_zero as (
    select
        sum(case when ai_interaction_type = 'all' then at_risk else 0 end) as all_at_risk,
        sum(case when ai_interaction_type != 'all' then at_risk else 0 end) as types_at_risk
    from curve
    where day_number = 0
),

eligible as (
    select coalesce(sum(retention_eligible_journeys), 0) as eligible_journeys
    from retention
),

failing as (
    select
        curve_day_zero.all_at_risk,
        curve_day_zero.types_at_risk,
        eligible.eligible_journeys
    from curve_day_zero
    cross join eligible
    where
        coalesce(curve_day_zero.all_at_risk, 0) != eligible.eligible_journeys
        or coalesce(curve_day_zero.types_at_risk, 0) != eligible.eligible_journeys
)

select * from failing
