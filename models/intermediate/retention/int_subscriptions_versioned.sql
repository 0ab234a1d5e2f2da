{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='subscription_id',
    replace_changed={'subscription_id': 'int_changed_subscriptions'},
) }}
{#- Every CRM version of every subscription, with the dates SPEC §4.6 uses for activity (those of the
    subscription's latest version) and the window in which the version is in force (for MRR at a moment).
    Incremental: a run recomputes every version of each subscription delivered tonight (int_changed_subscriptions:
    versions renumber, the latest one changes); cx_replace first deletes the stored versions, so a subscription
    left without an accepted version disappears. -#}
with

changed_subscriptions as (  -- noqa: ST03
    select * from {{ ref('int_changed_subscriptions') }}
),

subscriptions as (
    select * from {{ ref('stg_crm__subscriptions') }}
    {%- if is_incremental() %}
    where subscription_id in (select changed_subscriptions.subscription_id from changed_subscriptions)
    {%- endif %}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

versions_ordered as (
    select
        subscription_id,
        customer_id,
        plan,
        mrr,
        currency,
        started_at,
        cancelled_at,
        cancel_reason,
        updated_at,
        row_number() over (
            partition by subscription_id
            order by updated_at
        ) as version_number,
        row_number() over (
            partition by subscription_id
            order by updated_at desc
        ) as version_number_desc,
        lead(updated_at) over (
            partition by subscription_id
            order by updated_at
        ) as next_updated_at
    from subscriptions
),

latest_dates as (
    select
        subscription_id,
        started_at as subscription_started_at,
        cancelled_at as subscription_cancelled_at
    from versions_ordered
    where version_number_desc = 1
),

final as (
    select
        versions_ordered.subscription_id,
        versions_ordered.version_number,
        versions_ordered.customer_id,
        versions_ordered.plan,
        versions_ordered.mrr,
        versions_ordered.currency,
        versions_ordered.mrr * currency_rates.rate_to_reporting_currency as mrr_reporting,
        versions_ordered.started_at as version_started_at,
        versions_ordered.cancelled_at as version_cancelled_at,
        versions_ordered.cancel_reason,
        versions_ordered.updated_at,
        -- in force from its updated_at (the earliest version also before it) until the next version's
        case when versions_ordered.version_number > 1 then versions_ordered.updated_at end as valid_from,
        versions_ordered.next_updated_at as valid_to,
        versions_ordered.version_number_desc = 1 as is_latest_version,
        latest_dates.subscription_started_at,
        latest_dates.subscription_cancelled_at,
        {{ cx_batch_at() }} as _batch_at
    from versions_ordered
    inner join latest_dates
        on versions_ordered.subscription_id = latest_dates.subscription_id
    left join currency_rates
        on versions_ordered.currency = currency_rates.currency
)

select * from final
