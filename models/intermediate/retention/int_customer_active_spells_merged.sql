{#- A customer's active spells (SPEC §4.6): the periods [started_at, cancelled_at) of their subscriptions, with
    each subscription's latest version, merged when they overlap or touch. A customer is active at t exactly
    when one spell has spell_started_at <= t and (spell_ended_at is null or spell_ended_at > t).
    Incremental: spells depend only on the customer's subscriptions, so a run recomputes every customer a
    changed subscription was ever delivered with (int_changed_subscriptions); cx_replace first deletes their
    spells, so a customer left without any is not kept with old ones. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='customer_id',
    replace_changed={'customer_id': 'int_changed_subscriptions'},
) }}
with

changed_subscriptions as (  -- noqa: ST03
    select * from {{ ref('int_changed_subscriptions') }}
),

subscriptions as (
    select * from {{ ref('int_subscriptions_versioned') }}
    {%- if is_incremental() %}
    where customer_id in (select changed_subscriptions.customer_id from changed_subscriptions)
    {%- endif %}
),

periods as (
    -- one period per subscription; a subscription cancelled at its start is never active
    select
        customer_id,
        subscription_id,
        subscription_started_at as period_started_at,
        subscription_cancelled_at as period_ended_at
    from subscriptions
    where
        is_latest_version
        and (
            subscription_cancelled_at is null
            or subscription_cancelled_at > subscription_started_at
        )
),

periods_with_reach as (
    -- the furthest end among the earlier periods of the customer (null = one of them never ended)
    select
        customer_id,
        subscription_id,
        period_started_at,
        period_ended_at,
        count(*) over (
            partition by customer_id
            order by period_started_at, subscription_id
            rows between unbounded preceding and 1 preceding
        ) as earlier_periods,
        count(period_ended_at) over (
            partition by customer_id
            order by period_started_at, subscription_id
            rows between unbounded preceding and 1 preceding
        ) as earlier_ended_periods,
        max(period_ended_at) over (
            partition by customer_id
            order by period_started_at, subscription_id
            rows between unbounded preceding and 1 preceding
        ) as earlier_reach
    from periods
),

spell_starts_flagged as (
    -- a period starts a new spell when it starts after everything before it has ended (touching = same spell)
    select
        customer_id,
        subscription_id,
        period_started_at,
        period_ended_at,
        case
            when earlier_periods = 0 then 1
            when earlier_ended_periods < earlier_periods then 0
            when period_started_at > earlier_reach then 1
            else 0
        end as is_spell_start
    from periods_with_reach
),

spells_numbered as (
    select
        customer_id,
        subscription_id,
        period_started_at,
        period_ended_at,
        cast(sum(is_spell_start) over (
            partition by customer_id
            order by period_started_at, subscription_id
            rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as spell_number
    from spell_starts_flagged
),

final as (
    select
        customer_id,
        spell_number,
        min(period_started_at) as spell_started_at,
        case when count(period_ended_at) = count(*) then max(period_ended_at) end as spell_ended_at,
        count(*) as subscriptions,
        {{ cx_batch_at() }} as _batch_at
    from spells_numbered
    group by customer_id, spell_number
)

select * from final
