{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='journey_id',
    replace_changed={'journey_id': 'int_changed_journeys'},
) }}
{#- SPEC §4.6, the part that does not depend on as_of: per journey, whether its customer was active at its start,
    its end, ended_at + N days for each retention horizon and the revenue-protection horizon; the end of the spell
    containing ended_at; 12 × the MRR in force at the start; the completed orders in
    (ended_at, ended_at + var('purchase_window_days') days].
    int_journeys_retention_evaluated and int_journeys_purchases_evaluated apply as_of to these rows.

    Incremental: a run recomputes the journeys of int_changed_journeys, the stored journeys whose maturity flipped
    (cx_is_matured), and every journey of a customer with a subscription or order delivered tonight, under each
    customer it was ever delivered with (int_changed_subscriptions, int_changed_orders), so a row that moves to
    another customer updates both. cx_replace first deletes the changed journeys, so one that no longer exists
    disappears. -#}
{% set horizons = var('retention_horizons_days') -%}
{%- set protection_days = var('revenue_protection_horizon_days') -%}
{%- set purchase_window_days = var('purchase_window_days') %}
with

all_journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

spells as (
    select * from {{ ref('int_customer_active_spells_merged') }}
),

subscription_versions as (
    select * from {{ ref('int_subscriptions_versioned') }}
),

orders as (
    select * from {{ ref('stg_crm__orders') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

as_of as (  -- noqa: ST03
    select * from {{ ref('int_as_of_resolved') }}
),

changed_journeys as (  -- noqa: ST03
    select * from {{ ref('int_changed_journeys') }}
),

changed_subscriptions as (  -- noqa: ST03
    select * from {{ ref('int_changed_subscriptions') }}
),

changed_orders as (  -- noqa: ST03
    select * from {{ ref('int_changed_orders') }}
),
{%- if is_incremental() %}

changed_customers as (
    -- every customer a subscription or order delivered tonight was ever delivered with
    select customer_id from changed_subscriptions
    union
    select customer_id from changed_orders
),

flipped_journeys as (
    select stored.journey_id
    from {{ this }} as stored
    cross join as_of
    where stored.is_matured <> ({{ cx_is_matured('stored.ended_at', 'as_of.as_of') }})
),
{%- endif %}

journeys as (
    select
        journey_id,
        customer_id,
        is_identified,
        is_matured,
        journey_date,
        journey_month,
        started_at,
        ended_at,
        ai_interaction_type,
        intent,
        intent_group,
        is_retention_risk,
        is_resolved
    from all_journeys
    {%- if is_incremental() %}
    where
        journey_id in (select changed_journeys.journey_id from changed_journeys)
        or journey_id in (select flipped_journeys.journey_id from flipped_journeys)
        or customer_id in (select changed_customers.customer_id from changed_customers)
    {%- endif %}
),

journey_spells as (
    -- every spell of the journey's customer, with what each of them covers
    select
        journeys.journey_id,
        spells.spell_started_at,
        spells.spell_ended_at,
        spells.spell_started_at <= journeys.started_at
        and (spells.spell_ended_at is null or spells.spell_ended_at > journeys.started_at)
            as covers_start,
        spells.spell_started_at <= journeys.ended_at
        and (spells.spell_ended_at is null or spells.spell_ended_at > journeys.ended_at)
            as covers_end,
        {%- for n in horizons %}
            spells.spell_started_at <= {{ dbt.dateadd('day', n, 'journeys.ended_at') }}
            and (
                spells.spell_ended_at is null
                or spells.spell_ended_at > {{ dbt.dateadd('day', n, 'journeys.ended_at') }}
            )
                as covers_{{ n }}d,
        {%- endfor %}
        spells.spell_started_at <= {{ dbt.dateadd('day', protection_days, 'journeys.ended_at') }}
        and (
            spells.spell_ended_at is null
            or spells.spell_ended_at > {{ dbt.dateadd('day', protection_days, 'journeys.ended_at') }}
        )
            as covers_protection_horizon
    from journeys
    inner join spells
        on journeys.customer_id = spells.customer_id
),

activity_rolled_up as (
    select
        journey_id,
        {{ dbt.bool_or('covers_start') }} as is_active_at_start,
        {{ dbt.bool_or('covers_end') }} as is_active_at_end,
        {%- for n in horizons %}
            {{ dbt.bool_or('covers_' ~ n ~ 'd') }} as is_active_at_{{ n }}d,
        {%- endfor %}
        {{ dbt.bool_or('covers_protection_horizon') }} as is_active_at_protection_horizon,
        -- the end of the spell that contains the origin (null when it is still going)
        max(case when covers_end then spell_ended_at end) as origin_spell_ended_at
    from journey_spells
    group by journey_id
),

mrr_at_start as (
    -- each subscription active at the journey's start, at the version in force at the start
    select
        journeys.journey_id,
        12 * {{ cx_sum('subscription_versions.mrr_reporting') }} as annualised_mrr_at_start
    from journeys
    inner join subscription_versions
        on
            journeys.customer_id = subscription_versions.customer_id
            and journeys.started_at >= subscription_versions.subscription_started_at
            and (
                subscription_versions.subscription_cancelled_at is null
                or journeys.started_at < subscription_versions.subscription_cancelled_at
            )
            and (
                subscription_versions.valid_from is null
                or journeys.started_at >= subscription_versions.valid_from
            )
            and (
                subscription_versions.valid_to is null
                or journeys.started_at < subscription_versions.valid_to
            )
    group by journeys.journey_id
),

completed_orders as (
    select
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
        journeys.journey_id,
        count(*) as orders_90d,
        {{ cx_sum('completed_orders.amount_reporting') }} as revenue_90d
    from journeys
    inner join completed_orders
        on
            journeys.customer_id = completed_orders.customer_id
            and journeys.ended_at < completed_orders.ordered_at
            and {{ dbt.dateadd('day', purchase_window_days, 'journeys.ended_at') }} >= completed_orders.ordered_at
    group by journeys.journey_id
),

final as (
    select
        journeys.*,
        coalesce(activity_rolled_up.is_active_at_start, false) as is_active_at_start,
        coalesce(activity_rolled_up.is_active_at_end, false) as is_active_at_end,
        {%- for n in horizons %}
            coalesce(activity_rolled_up.is_active_at_{{ n }}d, false) as is_active_at_{{ n }}d,
        {%- endfor %}
        coalesce(activity_rolled_up.is_active_at_protection_horizon, false) as is_active_at_protection_horizon,
        activity_rolled_up.origin_spell_ended_at,
        mrr_at_start.annualised_mrr_at_start,
        coalesce(orders_in_window.orders_90d, 0) as orders_90d,
        coalesce(orders_in_window.revenue_90d, 0) as revenue_90d,
        {{ cx_batch_at() }} as _batch_at
    from journeys
    left join activity_rolled_up
        on journeys.journey_id = activity_rolled_up.journey_id
    left join mrr_at_start
        on journeys.journey_id = mrr_at_start.journey_id
    left join orders_in_window
        on journeys.journey_id = orders_in_window.journey_id
)

select * from final
