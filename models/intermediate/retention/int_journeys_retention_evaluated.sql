{#- SPEC §4.6 per matured, identified journey: was the customer active at the start (retention-eligible), at
    ended_at + N days for each retention horizon, and at the revenue-protection horizon; the Kaplan–Meier subject
    (duration and event) and the revenue at risk of at-risk journeys. -#}
{%- set horizons = var('retention_horizons_days') -%}
{%- set protection_days = var('revenue_protection_horizon_days') -%}
{%- set seconds_per_day = 86400 -%}
with

journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

spells as (
    select * from {{ ref('int_customer_active_spells_merged') }}
),

subscription_versions as (
    select * from {{ ref('int_subscriptions_versioned') }}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

matured_journeys as (
    select
        journey_id,
        customer_id,
        journey_date,
        journey_month,
        started_at,
        ended_at,
        ai_interaction_type,
        intent,
        intent_group,
        is_retention_risk,
        is_resolved
    from journeys
    where is_matured and is_identified
),

journey_spells as (
    -- every spell of the journey's customer, with what each of them covers
    select
        matured_journeys.journey_id,
        spells.spell_started_at,
        spells.spell_ended_at,
        spells.spell_started_at <= matured_journeys.started_at
        and (spells.spell_ended_at is null or spells.spell_ended_at > matured_journeys.started_at)
            as covers_start,
        spells.spell_started_at <= matured_journeys.ended_at
        and (spells.spell_ended_at is null or spells.spell_ended_at > matured_journeys.ended_at)
            as covers_end,
        {%- for n in horizons %}
            spells.spell_started_at <= {{ dbt.dateadd('day', n, 'matured_journeys.ended_at') }}
            and (
                spells.spell_ended_at is null
                or spells.spell_ended_at > {{ dbt.dateadd('day', n, 'matured_journeys.ended_at') }}
            )
                as covers_{{ n }}d,
        {%- endfor %}
        spells.spell_started_at <= {{ dbt.dateadd('day', protection_days, 'matured_journeys.ended_at') }}
        and (
            spells.spell_ended_at is null
            or spells.spell_ended_at > {{ dbt.dateadd('day', protection_days, 'matured_journeys.ended_at') }}
        )
            as covers_protection_horizon
    from matured_journeys
    inner join spells
        on matured_journeys.customer_id = spells.customer_id
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
        matured_journeys.journey_id,
        12 * {{ cx_sum('subscription_versions.mrr_reporting') }} as annualised_mrr_at_start,
        count(*) as subscriptions_at_start
    from matured_journeys
    inner join subscription_versions
        on
            matured_journeys.customer_id = subscription_versions.customer_id
            and matured_journeys.started_at >= subscription_versions.subscription_started_at
            and (
                subscription_versions.subscription_cancelled_at is null
                or matured_journeys.started_at < subscription_versions.subscription_cancelled_at
            )
            and (
                subscription_versions.valid_from is null
                or matured_journeys.started_at >= subscription_versions.valid_from
            )
            and (
                subscription_versions.valid_to is null
                or matured_journeys.started_at < subscription_versions.valid_to
            )
    group by matured_journeys.journey_id
),

activity_joined as (
    select
        matured_journeys.*,
        as_of.as_of,
        coalesce(activity_rolled_up.is_active_at_start, false) as is_active_at_start,
        coalesce(activity_rolled_up.is_active_at_end, false) as is_active_at_end,
        {%- for n in horizons %}
            coalesce(activity_rolled_up.is_active_at_{{ n }}d, false) as is_active_at_{{ n }}d,
            as_of.as_of >= {{ dbt.dateadd('day', n, 'matured_journeys.ended_at') }} as is_observable_{{ n }}d,
        {%- endfor %}
        coalesce(activity_rolled_up.is_active_at_protection_horizon, false) as is_active_at_protection_horizon,
        as_of.as_of >= {{ dbt.dateadd('day', protection_days, 'matured_journeys.ended_at') }}
            as is_protection_horizon_observable,
        activity_rolled_up.origin_spell_ended_at,
        mrr_at_start.annualised_mrr_at_start
    from matured_journeys
    cross join as_of
    left join activity_rolled_up
        on matured_journeys.journey_id = activity_rolled_up.journey_id
    left join mrr_at_start
        on matured_journeys.journey_id = mrr_at_start.journey_id
),

survival_subjects as (
    -- Kaplan–Meier: event = end of the spell containing the origin (day 0 when not active at the origin),
    -- else censored at as_of; a spell ending exactly at as_of is an event
    select
        *,
        is_active_at_start as is_retention_eligible,
        case
            when not is_active_at_end then true
            when origin_spell_ended_at is not null and origin_spell_ended_at <= as_of then true
            else false
        end as is_churn_event,
        case
            when not is_active_at_end then ended_at
            when origin_spell_ended_at is not null and origin_spell_ended_at <= as_of then origin_spell_ended_at
            else as_of
        end as observed_until
    from activity_joined
),

final as (
    select
        journey_id,
        customer_id,
        journey_date,
        journey_month,
        started_at,
        ended_at,
        ai_interaction_type,
        intent,
        intent_group,
        is_retention_risk,
        is_resolved,
        is_active_at_start,
        is_active_at_end,
        is_retention_eligible,
        {%- for n in horizons %}
            case when is_retention_eligible and is_observable_{{ n }}d then is_active_at_{{ n }}d end
                as retained_{{ n }}d,
        {%- endfor %}
        case when is_retention_eligible then origin_spell_ended_at end as origin_spell_ended_at,
        case when is_retention_eligible then is_churn_event end as is_churn_event,
        case
            when is_retention_eligible
                then cast(
                    floor({{ cx_seconds_between('ended_at', 'observed_until') }} / {{ seconds_per_day }})
                    as {{ dbt.type_bigint() }}
                )
        end as survival_days,
        is_retention_eligible and is_retention_risk as is_at_risk,
        is_retention_eligible and is_retention_risk and is_protection_horizon_observable as is_at_risk_observable,
        case
            when is_retention_eligible and is_protection_horizon_observable then is_active_at_protection_horizon
        end as is_saved,
        case when is_retention_eligible then annualised_mrr_at_start end as annualised_mrr_at_start,
        case when is_retention_eligible and is_retention_risk then annualised_mrr_at_start end as revenue_at_risk
    from survival_subjects
)

select * from final
