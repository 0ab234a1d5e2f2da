{#- SPEC §4.6 revenue protected: at-risk journeys (retention-eligible, intent is a retention risk), observable once
    as_of >= ended_at + var('revenue_protection_horizon_days'). The effect of resolving a journey is estimated against
    a baseline: the save rate of the intent's observable at-risk journeys that were not resolved (whole warehouse). -#}
with

journeys as (
    select * from {{ ref('int_journeys_retention_evaluated') }}
),

at_risk_journeys as (
    select
        journey_id,
        journey_month,
        ai_interaction_type,
        intent,
        intent_group,
        is_resolved,
        is_at_risk_observable,
        is_saved,
        revenue_at_risk
    from journeys
    where is_at_risk
),

baselines as (
    -- per intent, over all months and AI types: the save rate of observable at-risk journeys not resolved
    select
        intent,
        count(*) as baseline_journeys,
        count(case when is_saved then 1 end) as baseline_saved_journeys,
        {{ cx_safe_divide('count(case when is_saved then 1 end)', 'count(*)') }} as baseline_save_rate
    from at_risk_journeys
    where is_at_risk_observable and not is_resolved
    group by intent
),

journeys_scored as (
    select
        at_risk_journeys.*,
        baselines.baseline_journeys,
        baselines.baseline_saved_journeys,
        baselines.baseline_save_rate,
        case
            when
                at_risk_journeys.is_at_risk_observable
                and at_risk_journeys.is_resolved
                and baselines.baseline_save_rate is not null
                then
                    at_risk_journeys.revenue_at_risk
                    * ((case when at_risk_journeys.is_saved then 1 else 0 end) - baselines.baseline_save_rate)
        end as revenue_protected
    from at_risk_journeys
    left join baselines
        on at_risk_journeys.intent = baselines.intent
),

aggregated as (
    select
        journey_month as month,
        ai_interaction_type,
        intent,
        max(intent_group) as intent_group,
        count(case when is_at_risk_observable then 1 end) as at_risk_journeys,
        count(case when not is_at_risk_observable then 1 end) as pending_at_risk_journeys,
        coalesce({{ cx_sum('case when is_at_risk_observable then revenue_at_risk end') }}, 0)
            as revenue_at_risk,
        count(case when is_at_risk_observable and is_saved then 1 end) as saved_journeys,
        count(case when is_at_risk_observable and is_resolved then 1 end) as resolved_at_risk_journeys,
        count(case when is_at_risk_observable and is_resolved and is_saved then 1 end) as resolved_saved_journeys,
        coalesce({{ cx_sum('case when is_at_risk_observable and is_saved then revenue_at_risk end') }}, 0)
            as revenue_retained,
        coalesce({{ cx_sum('revenue_protected') }}, 0) as revenue_protected,
        max(baseline_journeys) as baseline_journeys,
        max(baseline_saved_journeys) as baseline_saved_journeys,
        max(baseline_save_rate) as baseline_save_rate
    from journeys_scored
    group by journey_month, ai_interaction_type, intent
),

final as (
    select
        cast(month as date) as month,
        ai_interaction_type,
        intent,
        intent_group,
        cast(at_risk_journeys as {{ dbt.type_bigint() }}) as at_risk_journeys,
        cast(pending_at_risk_journeys as {{ dbt.type_bigint() }}) as pending_at_risk_journeys,
        cast(revenue_at_risk as double) as revenue_at_risk,
        cast(saved_journeys as {{ dbt.type_bigint() }}) as saved_journeys,
        {{ cx_safe_divide('saved_journeys', 'at_risk_journeys') }} as save_rate,
        baseline_save_rate,
        cast(coalesce(baseline_journeys, 0) as {{ dbt.type_bigint() }}) as baseline_journeys,
        cast(coalesce(baseline_saved_journeys, 0) as {{ dbt.type_bigint() }}) as baseline_saved_journeys,
        cast(resolved_at_risk_journeys as {{ dbt.type_bigint() }}) as resolved_at_risk_journeys,
        cast(resolved_saved_journeys as {{ dbt.type_bigint() }}) as resolved_saved_journeys,
        {{ cx_safe_divide('resolved_saved_journeys', 'resolved_at_risk_journeys') }} as resolved_save_rate,
        cast(revenue_retained as double) as revenue_retained,
        cast(revenue_protected as double) as revenue_protected
    from aggregated
)

select * from final
