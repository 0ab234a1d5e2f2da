-- Do unresolved and high-effort journeys churn more? Retention at 90 days and the share churned by day 90 of
-- the Kaplan–Meier subjects, by resolution (SPEC §4.3) and high effort (SPEC §4.5).
with

retention as (
    select * from {{ ref('int_journeys_retention_evaluated') }}
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

eligible_journeys as (
    select
        retention.journey_id,
        retention.is_resolved,
        journeys.is_high_effort,
        retention.retained_90d
    from retention
    inner join journeys
        on retention.journey_id = journeys.journey_id
    where retention.is_retention_eligible
),

by_outcome as (
    select
        is_resolved,
        is_high_effort,
        count(*) as retention_eligible_journeys,
        count(retained_90d) as eligible_90d,
        count(case when retained_90d then 1 end) as retained_90d,
        {{ cx_safe_divide('count(case when retained_90d then 1 end)', 'count(retained_90d)') }}
            as retention_rate_90d
    from eligible_journeys
    group by is_resolved, is_high_effort
)

select * from by_outcome
order by is_resolved desc, is_high_effort asc
