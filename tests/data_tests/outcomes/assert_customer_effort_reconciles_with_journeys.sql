-- Σ mart_customer_effort and Σ mart_effort_calibration equal fct_journeys over matured identified journeys:
-- journeys, effort index, each raw component amount, high-effort journeys, CES journeys, CES total and CES agree
-- journeys.
{{ config(tags=['reconciliation'], severity='warn') }}
{%- set components = cx_effort_components() %}
with

effort as (
    select * from {{ ref('mart_customer_effort') }}
),

calibration as (
    select * from {{ ref('mart_effort_calibration') }}
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

effort_totals as (
    select
        'mart_customer_effort' as source_model,
        coalesce(sum(matured_journeys), 0) as matured_journeys,
        coalesce(sum(effort_index_total), 0) as effort_index_total,
        {%- for component in components %}
            coalesce(sum({{ component }}_total), 0) as {{ component }}_total,
        {%- endfor %}
        coalesce(sum(high_effort_journeys), 0) as high_effort_journeys,
        coalesce(sum(ces_journeys), 0) as ces_journeys,
        coalesce(sum(ces_score_total), 0) as ces_score_total,
        coalesce(sum(ces_agree_journeys), 0) as ces_agree_journeys
    from effort
),

calibration_totals as (
    -- the calibration mart has no component, high-effort or agree columns: compare those to themselves
    select
        'mart_effort_calibration' as source_model,
        coalesce(sum(calibration.matured_journeys), 0) as matured_journeys,
        coalesce(sum(calibration.effort_index_total), 0) as effort_index_total,
        {%- for component in components %}
            max(effort_totals.{{ component }}_total) as {{ component }}_total,
        {%- endfor %}
        max(effort_totals.high_effort_journeys) as high_effort_journeys,
        coalesce(sum(calibration.ces_journeys), 0) as ces_journeys,
        coalesce(sum(calibration.ces_score_total), 0) as ces_score_total,
        max(effort_totals.ces_agree_journeys) as ces_agree_journeys
    from calibration
    cross join effort_totals
),

journey_totals as (
    select
        count(*) as matured_journeys,
        coalesce(sum(effort_index), 0) as effort_index_total,
        {%- for component in components %}
            coalesce(sum({{ component }}), 0) as {{ component }}_total,
        {%- endfor %}
        count(case when is_high_effort then 1 end) as high_effort_journeys,
        count(ces_score) as ces_journeys,
        coalesce(sum(ces_score), 0) as ces_score_total,
        count(case when ces_score >= 5 then 1 end) as ces_agree_journeys
    from journeys
    where is_identified and is_matured
),

mart_totals as (
    select * from effort_totals
    union all
    select * from calibration_totals
),

failing as (
    select mart_totals.*
    from mart_totals
    cross join journey_totals
    where
        mart_totals.matured_journeys <> journey_totals.matured_journeys
        or abs(mart_totals.effort_index_total - journey_totals.effort_index_total)
        > 1e-6 * greatest(1, abs(journey_totals.effort_index_total))
        {%- for component in components %}
            or abs(mart_totals.{{ component }}_total - journey_totals.{{ component }}_total)
            > 1e-6 * greatest(1, abs(journey_totals.{{ component }}_total))
        {%- endfor %}
        or mart_totals.high_effort_journeys <> journey_totals.high_effort_journeys
        or mart_totals.ces_journeys <> journey_totals.ces_journeys
        or abs(mart_totals.ces_score_total - journey_totals.ces_score_total)
        > 1e-6 * greatest(1, abs(journey_totals.ces_score_total))
        or mart_totals.ces_agree_journeys <> journey_totals.ces_agree_journeys
)

select * from failing
