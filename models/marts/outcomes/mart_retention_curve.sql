{#- SPEC §4.6 Kaplan–Meier retention curve per AI interaction type and for `all`, day 0 to 180.
    var('retention_curve_last_day') exists only so that unit tests can use a short curve. -#}
{%- set last_day = var('retention_curve_last_day', 180) -%}
with

journeys as (
    select * from {{ ref('int_journeys_retention_evaluated') }}
),

subjects as (
    select
        ai_interaction_type,
        survival_days,
        is_churn_event
    from journeys
    where is_retention_eligible
    union all
    select
        'all' as ai_interaction_type,
        survival_days,
        is_churn_event
    from journeys
    where is_retention_eligible
),

group_totals as (
    select
        ai_interaction_type,
        count(*) as subjects
    from subjects
    group by ai_interaction_type
),

day_numbers as (
    select cast(generated_number - 1 as {{ dbt.type_int() }}) as day_number
    from ({{ dbt.generate_series(last_day + 1) }}) as series
),

observations_by_day as (
    select
        ai_interaction_type,
        survival_days as day_number,
        count(case when is_churn_event then 1 end) as churned,
        count(case when not is_churn_event then 1 end) as censored
    from subjects
    group by ai_interaction_type, survival_days
),

group_days as (
    select
        group_totals.ai_interaction_type,
        day_numbers.day_number
    from group_totals
    cross join day_numbers
),

days_joined as (
    select
        group_days.ai_interaction_type,
        group_days.day_number,
        group_totals.subjects,
        coalesce(observations_by_day.churned, 0) as churned,
        coalesce(observations_by_day.censored, 0) as censored
    from group_days
    inner join group_totals
        on group_days.ai_interaction_type = group_totals.ai_interaction_type
    left join observations_by_day
        on
            group_days.ai_interaction_type = observations_by_day.ai_interaction_type
            and group_days.day_number = observations_by_day.day_number
),

days_counted as (
    -- at risk on day d = subjects whose duration is >= d = all subjects less those observed before day d
    select
        ai_interaction_type,
        day_number,
        churned,
        censored,
        subjects - coalesce(
            sum(churned + censored) over (
                partition by ai_interaction_type
                order by day_number
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as at_risk
    from days_joined
),

factors as (
    -- the day's conditional survival; 1 on a day without anyone at risk (survival carried forward)
    select
        *,
        1 - coalesce({{ cx_safe_divide('churned', 'at_risk') }}, 0) as survival_factor
    from days_counted
),

survival_accumulated as (
    select
        *,
        {{ cx_cumulative_product('survival_factor', 'ai_interaction_type', 'day_number') }} as survival_to_date
    from factors
),

final as (
    select
        ai_interaction_type,
        day_number,
        cast(at_risk as {{ dbt.type_bigint() }}) as at_risk,
        cast(churned as {{ dbt.type_bigint() }}) as churned,
        cast(censored as {{ dbt.type_bigint() }}) as censored,
        cast(survival_to_date as double) as survival
    from survival_accumulated
)

select * from final
