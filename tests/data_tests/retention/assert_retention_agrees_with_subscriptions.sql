-- Eligibility and retained_Nd agree with SPEC §4.6 evaluated directly on the subscriptions.
-- (latest version of each subscription, without the merged spells of int_customer_active_spells_merged)
-- On a nightly, the journeys of int_journeys_aggregated's latest build batch (cx_latest_batch): the activity
-- this view reads is stored there, and a night rewrites every journey whose subscriptions changed; as_of only
-- decides which horizons are observable. A full refresh, or var('cx_full_data_tests') = true, checks every
-- journey (cx_batch_scoped()).
{% set horizons = var('retention_horizons_days') -%}
with

journeys as (
    select * from {{ ref('int_journeys_retention_evaluated') }}
    where {{ cx_latest_batch(ref('int_journeys_retention_evaluated')) }}
),

subscription_versions as (
    -- every version of each subscription that any version gives to a tested journey's customer (its latest
    -- version decides whose it is)
    select * from {{ ref('stg_crm__subscriptions') }}
    where subscription_id in (
        select scoped_versions.subscription_id
        from {{ ref('stg_crm__subscriptions') }} as scoped_versions
        where scoped_versions.customer_id in (select journeys.customer_id from journeys)
    )
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

latest_versions as (
    select
        subscription_id,
        customer_id,
        started_at,
        cancelled_at,
        row_number() over (partition by subscription_id order by updated_at desc) as version_rank
    from subscription_versions
),

subscriptions as (
    select * from latest_versions
    where version_rank = 1
),

journey_activity as (
    select
        journeys.journey_id,
        coalesce(max(case
            when
                subscriptions.started_at <= journeys.started_at
                and (subscriptions.cancelled_at is null or subscriptions.cancelled_at > journeys.started_at)
                then 1
        end), 0) = 1 as expected_eligible,
        {%- for n in horizons %}
            coalesce(max(case
                when
                    subscriptions.started_at <= {{ dbt.dateadd('day', n, 'journeys.ended_at') }}
                    and (
                        subscriptions.cancelled_at is null
                        or subscriptions.cancelled_at > {{ dbt.dateadd('day', n, 'journeys.ended_at') }}
                    )
                    then 1
            end), 0) = 1 as expected_active_{{ n }}d,
        {%- endfor %}
        count(subscriptions.subscription_id) as subscriptions
    from journeys
    left join subscriptions
        on journeys.customer_id = subscriptions.customer_id
    group by journeys.journey_id
),

compared as (
    select
        journeys.journey_id,
        journeys.is_retention_eligible,
        journey_activity.expected_eligible,
        {%- for n in horizons %}
            journeys.retained_{{ n }}d,
            case
                when
                    journey_activity.expected_eligible
                    and as_of.as_of >= {{ dbt.dateadd('day', n, 'journeys.ended_at') }}
                    then journey_activity.expected_active_{{ n }}d
            end as expected_retained_{{ n }}d,
        {%- endfor %}
        journey_activity.subscriptions
    from journeys
    inner join journey_activity
        on journeys.journey_id = journey_activity.journey_id
    cross join as_of
),

failing as (
    select * from compared
    where
        is_retention_eligible != expected_eligible
        {%- for n in horizons %}
            or retained_{{ n }}d is distinct from expected_retained_{{ n }}d
        {%- endfor %}
)

select * from failing
