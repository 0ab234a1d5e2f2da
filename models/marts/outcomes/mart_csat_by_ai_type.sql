{#- SPEC §4.6 CSAT as a predictor of purchases: matured, identified journeys with a linked CSAT score whose 90 days
    after ended_at are observable, by AI type and CSAT band (rescaled 1–5 score). -#}
with

journeys as (
    select * from {{ ref('fct_journeys') }}
),

purchases as (
    select * from {{ ref('int_journeys_purchases_evaluated') }}
),

scored_journeys as {{ cx_cte_materialized() }} (
    -- the journeys with a CSAT score first (cx_cte_materialized: a tenth of the journeys at scale L): otherwise
    -- DuckDB joined every journey to its purchases before the scores (benchmarks/results/fixes.md, twentieth round)
    select
        journey_id,
        journey_month,
        ai_interaction_type,
        csat_score
    from journeys
    where csat_score is not null
),

csat_journeys as (
    select
        scored_journeys.journey_id,
        scored_journeys.journey_month,
        scored_journeys.ai_interaction_type,
        scored_journeys.csat_score,
        case
            when scored_journeys.csat_score < 2.5 then '1-2'
            when scored_journeys.csat_score < 3.5 then '3'
            else '4-5'
        end as csat_band,
        purchases.has_purchase_90d,
        purchases.revenue_90d
    from scored_journeys
    inner join purchases
        on scored_journeys.journey_id = purchases.journey_id
    where purchases.is_purchase_window_observable
),

aggregated as (
    select
        journey_month as month,
        ai_interaction_type,
        csat_band,
        count(*) as csat_journeys,
        {{ cx_sum('csat_score') }} as csat_total,
        count(case when has_purchase_90d then 1 end) as purchasing_journeys,
        coalesce({{ cx_sum('revenue_90d') }}, 0) as revenue_90d
    from csat_journeys
    group by journey_month, ai_interaction_type, csat_band
),

final as (
    select
        cast(month as date) as month,
        ai_interaction_type,
        csat_band,
        cast(csat_journeys as {{ dbt.type_bigint() }}) as csat_journeys,
        cast(csat_total as double) as csat_total,
        {{ cx_safe_divide('csat_total', 'csat_journeys') }} as avg_csat,
        cast(purchasing_journeys as {{ dbt.type_bigint() }}) as purchasing_journeys,
        {{ cx_safe_divide('purchasing_journeys', 'csat_journeys') }} as purchase_rate_90d,
        cast(revenue_90d as double) as revenue_90d,
        {{ cx_safe_divide('revenue_90d', 'csat_journeys') }} as revenue_per_journey_90d
    from aggregated
)

select * from final
