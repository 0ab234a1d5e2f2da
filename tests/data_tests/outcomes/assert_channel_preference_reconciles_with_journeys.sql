-- Σ mart_channel_preference equals fct_journeys over matured identified journeys (journeys, FCR, effort index,
-- CSAT journeys and total), and every such journey's customer has a preferred channel (no preferred_channel = null
-- row).
{{ config(tags=['reconciliation'], severity='warn') }}
with

preference as (
    select * from {{ ref('mart_channel_preference') }}
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

mart_totals as (
    select
        coalesce(sum(matured_journeys), 0) as matured_journeys,
        coalesce(sum(fcr_journeys), 0) as fcr_journeys,
        coalesce(sum(effort_index_total), 0) as effort_index_total,
        coalesce(sum(csat_journeys), 0) as csat_journeys,
        coalesce(sum(csat_total), 0) as csat_total,
        coalesce(sum(case when preferred_channel is null then matured_journeys end), 0) as unknown_preference_journeys
    from preference
),

journey_totals as (
    select
        count(*) as matured_journeys,
        count(case when is_fcr then 1 end) as fcr_journeys,
        coalesce(sum(effort_index), 0) as effort_index_total,
        count(csat_score) as csat_journeys,
        coalesce(sum(csat_score), 0) as csat_total
    from journeys
    where is_identified and is_matured
),

failing as (
    select
        mart_totals.*,
        journey_totals.matured_journeys as expected_matured_journeys
    from mart_totals
    cross join journey_totals
    where
        mart_totals.matured_journeys <> journey_totals.matured_journeys
        or mart_totals.fcr_journeys <> journey_totals.fcr_journeys
        or abs(mart_totals.effort_index_total - journey_totals.effort_index_total)
        > 1e-6 * greatest(1, abs(journey_totals.effort_index_total))
        or mart_totals.csat_journeys <> journey_totals.csat_journeys
        or abs(mart_totals.csat_total - journey_totals.csat_total)
        > 1e-6 * greatest(1, abs(journey_totals.csat_total))
        or mart_totals.unknown_preference_journeys > 0
)

select * from failing
