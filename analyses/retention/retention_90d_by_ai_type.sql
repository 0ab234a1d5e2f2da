-- Retention 90 days after a journey, by the AI interaction type of its first attempt, over all cohorts:
-- re-aggregated from numerators and denominators (never by averaging rates).
with

retention as (
    select * from {{ ref('mart_retention_by_ai_type') }}
),

by_ai_type as (
    select
        ai_interaction_type,
        sum(retention_eligible_journeys) as retention_eligible_journeys,
        sum(eligible_90d) as eligible_90d,
        sum(retained_90d) as retained_90d,
        {{ cx_safe_divide('sum(retained_90d)', 'sum(eligible_90d)') }} as retention_rate_90d
    from retention
    group by ai_interaction_type
)

select * from by_ai_type
order by ai_interaction_type
