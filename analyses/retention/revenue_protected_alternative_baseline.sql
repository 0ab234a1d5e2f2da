-- Revenue protected against a different counterfactual: the baseline save rate per intent AND AI type (instead
-- of per intent only, as mart_revenue_protected does). Compare the two before quoting either: the estimate is
-- only as good as the baseline (SPEC §4.6; see the mart's documentation).
with

journeys as (
    select * from {{ ref('int_journeys_retention_evaluated') }}
),

observable_at_risk as (
    select * from journeys
    where is_at_risk_observable
),

baselines as (
    select
        intent,
        ai_interaction_type,
        {{ cx_safe_divide('count(case when is_saved then 1 end)', 'count(*)') }} as baseline_save_rate
    from observable_at_risk
    where not is_resolved
    group by intent, ai_interaction_type
),

contributions as (
    select
        observable_at_risk.intent,
        observable_at_risk.ai_interaction_type,
        observable_at_risk.revenue_at_risk
        * ((case when observable_at_risk.is_saved then 1 else 0 end) - baselines.baseline_save_rate)
            as revenue_protected
    from observable_at_risk
    inner join baselines
        on
            observable_at_risk.intent = baselines.intent
            and observable_at_risk.ai_interaction_type = baselines.ai_interaction_type
    where observable_at_risk.is_resolved
),

by_intent as (
    select
        intent,
        ai_interaction_type,
        count(*) as resolved_journeys_with_baseline,
        sum(revenue_protected) as revenue_protected
    from contributions
    group by intent, ai_interaction_type
)

select * from by_intent
order by intent, ai_interaction_type
