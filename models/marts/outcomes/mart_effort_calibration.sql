{#- SPEC §4.5 calibration: mean survey CES by behavioural effort band over matured, identified journeys. Every
    band of var('effort_band_edges') has a row, also an empty one (counts 0, avg_ces null), so the ladder is
    always complete. Each band is labelled by the same macros that label fct_journeys, applied to one
    representative index value per band (below the first edge, then each edge). -#}
{%- set edges = var('effort_band_edges') -%}
{%- set representatives = [edges[0] - 1] + edges -%}
with

journeys as (
    select * from {{ ref('fct_journeys') }}
),

band_representatives as (
    {%- for value in representatives %}
        select cast({{ value }} as double) as effort_index
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

bands as (
    select
        {{ cx_effort_band('effort_index') }} as effort_band,
        {{ cx_effort_band_order('effort_index') }} as band_order
    from band_representatives
),

rated_journeys as (
    select * from journeys
    where is_identified and is_matured
),

journeys_aggregated as (
    select
        effort_band,
        count(*) as matured_journeys,
        coalesce({{ cx_sum('effort_index') }}, 0) as effort_index_total,
        count(ces_score) as ces_journeys,
        coalesce({{ cx_sum('ces_score') }}, 0) as ces_score_total
    from rated_journeys
    group by effort_band
),

final as (
    select
        bands.effort_band,
        bands.band_order,
        coalesce(journeys_aggregated.matured_journeys, 0) as matured_journeys,
        coalesce(journeys_aggregated.effort_index_total, 0) as effort_index_total,
        {{ cx_safe_divide('journeys_aggregated.effort_index_total', 'journeys_aggregated.matured_journeys') }}
            as avg_effort_index,
        coalesce(journeys_aggregated.ces_journeys, 0) as ces_journeys,
        coalesce(journeys_aggregated.ces_score_total, 0) as ces_score_total,
        {{ cx_safe_divide('journeys_aggregated.ces_score_total', 'journeys_aggregated.ces_journeys') }} as avg_ces
    from bands
    left join journeys_aggregated
        on bands.effort_band = journeys_aggregated.effort_band
)

select * from final
