{#- SPEC §4.6 retention by AI interaction type: retained_Nd / eligible_Nd per horizon of
    var('retention_horizons_days'); a horizon not yet observable for a journey counts on neither side. -#}
{%- set horizons = var('retention_horizons_days') -%}
with

journeys as (
    select * from {{ ref('int_journeys_retention_evaluated') }}
),

eligible_journeys as (
    select * from journeys
    where is_retention_eligible
),

aggregated as (
    select
        journey_month as cohort_month,
        ai_interaction_type,
        intent_group,
        {%- for n in horizons %}
            count(retained_{{ n }}d) as eligible_{{ n }}d,
            count(case when retained_{{ n }}d then 1 end) as retained_{{ n }}d,
        {%- endfor %}
        count(*) as retention_eligible_journeys
    from eligible_journeys
    group by journey_month, ai_interaction_type, intent_group
),

final as (
    select
        cast(cohort_month as date) as cohort_month,
        ai_interaction_type,
        intent_group,
        {%- for n in horizons %}
            cast(eligible_{{ n }}d as {{ dbt.type_bigint() }}) as eligible_{{ n }}d,
            cast(retained_{{ n }}d as {{ dbt.type_bigint() }}) as retained_{{ n }}d,
            {{ cx_safe_divide('retained_' ~ n ~ 'd', 'eligible_' ~ n ~ 'd') }} as retention_rate_{{ n }}d,
        {%- endfor %}
        -- the contract puts retention_eligible_journeys before the horizon columns
        cast(retention_eligible_journeys as {{ dbt.type_bigint() }}) as retention_eligible_journeys
    from aggregated
)

select * from final
