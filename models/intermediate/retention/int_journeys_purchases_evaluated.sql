{#- SPEC §4.6 "CSAT as a predictor of purchases": per matured, identified journey, the customer's completed
    orders in (ended_at, ended_at + 90 days], once those 90 days are observable (as_of >= ended_at + 90 days). The
    orders are counted by int_journeys_aggregated (incremental, independent of as_of); this model applies
    as_of. -#}
{{ config(materialized='view') }}
{%- set purchase_window_days = var('purchase_window_days') -%}
with

journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

matured_journeys as (
    select
        journeys.journey_id,
        journeys.customer_id,
        journeys.ended_at,
        journeys.orders_90d,
        journeys.revenue_90d,
        journeys._batch_at,
        as_of.as_of >= {{ dbt.dateadd('day', purchase_window_days, 'journeys.ended_at') }}
            as is_purchase_window_observable
    from journeys
    cross join as_of
    where journeys.is_matured and journeys.is_identified
),

final as (
    select
        journey_id,
        customer_id,
        ended_at,
        is_purchase_window_observable,
        case when is_purchase_window_observable then orders_90d end as orders_90d,
        case when is_purchase_window_observable then orders_90d > 0 end as has_purchase_90d,
        case when is_purchase_window_observable then revenue_90d end as revenue_90d,
        -- the stored journey's last rewrite (see int_journeys_retention_evaluated)
        _batch_at
    from matured_journeys
)

select * from final
