{#- SPEC §4.5 over matured, identified journeys (a pending journey's effort can still grow): the raw amount of
    each effort component (c_total, not weighted) and its mean, the weighted index, high effort, and survey CES
    (journeys with a linked ces score; agree = rescaled score >= 5). -#}
{%- set components = cx_effort_components() -%}
with

journeys as (
    select * from {{ ref('fct_journeys') }}
),

rated_journeys as (
    select * from journeys
    where is_identified and is_matured
),

aggregated as (
    select
        journey_date,
        channel,
        intent_group,
        ai_interaction_type,
        count(*) as matured_journeys,
        {%- for component in components %}
            coalesce({{ cx_sum(component) }}, 0) as {{ component }}_total,
        {%- endfor %}
        coalesce({{ cx_sum('effort_index') }}, 0) as effort_index_total,
        count(case when is_high_effort then 1 end) as high_effort_journeys,
        count(ces_score) as ces_journeys,
        coalesce({{ cx_sum('ces_score') }}, 0) as ces_score_total,
        count(case when ces_score >= 5 then 1 end) as ces_agree_journeys
    from rated_journeys
    group by journey_date, channel, intent_group, ai_interaction_type
),

final as (
    select
        journey_date,
        channel,
        intent_group,
        ai_interaction_type,
        matured_journeys,
        effort_index_total,
        {{ cx_safe_divide('effort_index_total', 'matured_journeys') }} as avg_effort_index,
        high_effort_journeys,
        {{ cx_safe_divide('high_effort_journeys', 'matured_journeys') }} as high_effort_rate,
        {%- for component in components %}
            {{ component }}_total,
            {{ cx_safe_divide(component ~ '_total', 'matured_journeys') }} as avg_{{ component }},
        {%- endfor %}
        ces_journeys,
        ces_score_total,
        {{ cx_safe_divide('ces_score_total', 'ces_journeys') }} as avg_ces,
        ces_agree_journeys,
        {{ cx_safe_divide('ces_agree_journeys', 'ces_journeys') }} as ces_agree_rate
    from aggregated
)

select * from final
