{#- SPEC §4.6 per matured, identified journey: was the customer active at the start (retention-eligible), at
    ended_at + N days for each retention horizon, and at the revenue-protection horizon; the Kaplan–Meier subject
    (duration and event) and the revenue at risk of at-risk journeys. The activity and MRR come from
    int_journeys_aggregated (incremental, independent of as_of); this model applies as_of: which horizons
    are observable, censoring and survival days. -#}
{{ config(materialized='view') }}
{%- set horizons = var('retention_horizons_days') -%}
{%- set protection_days = var('revenue_protection_horizon_days') -%}
{%- set seconds_per_day = 86400 -%}
with

journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

activity_joined as (
    -- matured, identified journeys with what followed them (int_journeys_aggregated) against as_of
    select
        journeys.journey_id,
        journeys.customer_id,
        journeys.journey_date,
        journeys.journey_month,
        journeys.started_at,
        journeys.ended_at,
        journeys.ai_interaction_type,
        journeys.intent,
        journeys.intent_group,
        journeys.is_retention_risk,
        journeys.is_resolved,
        as_of.as_of,
        journeys.is_active_at_start,
        journeys.is_active_at_end,
        {%- for n in horizons %}
            journeys.is_active_at_{{ n }}d,
            as_of.as_of >= {{ dbt.dateadd('day', n, 'journeys.ended_at') }} as is_observable_{{ n }}d,
        {%- endfor %}
        journeys.is_active_at_protection_horizon,
        as_of.as_of >= {{ dbt.dateadd('day', protection_days, 'journeys.ended_at') }}
            as is_protection_horizon_observable,
        journeys.origin_spell_ended_at,
        journeys.annualised_mrr_at_start,
        journeys._batch_at
    from journeys
    cross join as_of
    where journeys.is_matured and journeys.is_identified
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
        case when is_retention_eligible and is_retention_risk then annualised_mrr_at_start end as revenue_at_risk,
        -- the stored journey's last rewrite: a row of this view is one of int_journeys_aggregated's, so its key
        -- test is batch-scoped like the table's (cx_unique_large)
        _batch_at
    from survival_subjects
)

select * from final
