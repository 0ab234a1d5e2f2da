{#- SPEC §4.6 "CSAT as a predictor of purchases": per matured, identified journey, the customer's completed
    orders in (ended_at, ended_at + 90 days], once those 90 days are observable (as_of >= ended_at + 90 days). -#}
{%- set purchase_window_days = 90 -%}
with

journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

orders as (
    select * from {{ ref('stg_crm__orders') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

matured_journeys as (
    select
        journeys.journey_id,
        journeys.customer_id,
        journeys.ended_at,
        as_of.as_of >= {{ dbt.dateadd('day', purchase_window_days, 'journeys.ended_at') }}
            as is_purchase_window_observable
    from journeys
    cross join as_of
    where journeys.is_matured and journeys.is_identified
),

completed_orders as (
    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.amount * currency_rates.rate_to_reporting_currency as amount_reporting
    from orders
    inner join currency_rates
        on orders.currency = currency_rates.currency
    where orders.status = 'completed'
),

orders_in_window as (
    select
        matured_journeys.journey_id,
        count(*) as orders_90d,
        {{ cx_sum('completed_orders.amount_reporting') }} as revenue_90d
    from matured_journeys
    inner join completed_orders
        on
            matured_journeys.customer_id = completed_orders.customer_id
            and matured_journeys.ended_at < completed_orders.ordered_at
            and {{ dbt.dateadd('day', purchase_window_days, 'matured_journeys.ended_at') }}
            >= completed_orders.ordered_at
    group by matured_journeys.journey_id
),

final as (
    select
        matured_journeys.journey_id,
        matured_journeys.customer_id,
        matured_journeys.ended_at,
        matured_journeys.is_purchase_window_observable,
        case
            when matured_journeys.is_purchase_window_observable
                then coalesce(orders_in_window.orders_90d, 0)
        end as orders_90d,
        case
            when matured_journeys.is_purchase_window_observable
                then coalesce(orders_in_window.orders_90d, 0) > 0
        end as has_purchase_90d,
        case
            when matured_journeys.is_purchase_window_observable
                then coalesce(orders_in_window.revenue_90d, 0)
        end as revenue_90d
    from matured_journeys
    left join orders_in_window
        on matured_journeys.journey_id = orders_in_window.journey_id
)

select * from final
