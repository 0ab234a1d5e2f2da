{#- SPEC §4.6 NPS by AI type over matured, identified journeys with an NPS score (rescaled 0–10). -#}
with

journeys as (
    select * from {{ ref('fct_journeys') }}
),

nps_journeys as (
    select
        journey_month,
        ai_interaction_type,
        nps_score
    from journeys
    where
        is_matured
        and is_identified
        and nps_score is not null
),

aggregated as (
    select
        journey_month as month,
        ai_interaction_type,
        count(*) as nps_journeys,
        count(case when nps_score >= 9 then 1 end) as promoters,
        count(case when nps_score > 6 and nps_score < 9 then 1 end) as passives,
        count(case when nps_score <= 6 then 1 end) as detractors,
        {{ cx_sum('nps_score') }} as nps_score_total
    from nps_journeys
    group by journey_month, ai_interaction_type
),

final as (
    select
        cast(month as date) as month,
        ai_interaction_type,
        cast(nps_journeys as {{ dbt.type_bigint() }}) as nps_journeys,
        cast(promoters as {{ dbt.type_bigint() }}) as promoters,
        cast(passives as {{ dbt.type_bigint() }}) as passives,
        cast(detractors as {{ dbt.type_bigint() }}) as detractors,
        100 * {{ cx_safe_divide('promoters - detractors', 'nps_journeys') }} as nps,
        cast(nps_score_total as double) as nps_score_total,
        {{ cx_safe_divide('nps_score_total', 'nps_journeys') }} as avg_nps_score
    from aggregated
)

select * from final
