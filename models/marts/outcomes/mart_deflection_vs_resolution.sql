{#- SPEC §4.3 side by side. Attempt (legacy) columns: every attempt, identified or not, no maturity, by the
    attempt's own date / channel / intent group. Journey columns: matured, identified journeys, by their first
    attempt's date / channel / intent group. A row exists when either side has something; the other side's
    counts are then 0 and its rates null. -#}
with

attempts as (
    select * from {{ ref('fct_attempts') }}
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

attempts_aggregated as (
    select
        attempt_date,
        channel,
        intent_group,
        count(case when not is_agent_connected then 1 end) as deflected_attempts,
        count(case when has_bot then 1 end) as bot_attempts,
        count(case when ai_interaction_type = 'self_service_ai' then 1 end) as contained_attempts,
        {{ cx_attempt_handling_measures() }}
    from attempts
    group by attempt_date, channel, intent_group
),

rated_journeys as (
    -- matured, identified journeys; contained = the first attempt was self_service_ai
    select
        journey_date,
        channel,
        intent_group,
        is_fcr,
        ai_interaction_type = 'self_service_ai' as is_contained
    from journeys
    where is_identified and is_matured
),

journeys_aggregated as (
    select
        journey_date as attempt_date,
        channel,
        intent_group,
        count(*) as matured_journeys,
        count(case when is_fcr then 1 end) as fcr_journeys,
        count(case when is_contained then 1 end) as contained_journeys,
        count(case when is_contained and not is_fcr then 1 end) as false_containment_journeys,
        count(case when is_contained and is_fcr then 1 end) as contained_resolved_journeys
    from rated_journeys
    group by journey_date, channel, intent_group
),

sides_stacked as (
    -- the two sides on the same dimension keys; a union then a group by is a null-safe full outer join
    select
        attempt_date,
        channel,
        intent_group,
        attempts,
        deflected_attempts,
        bot_attempts,
        contained_attempts,
        abandoned_attempts,
        handled_contacts,
        handle_seconds_total,
        0 as matured_journeys,
        0 as fcr_journeys,
        0 as contained_journeys,
        0 as false_containment_journeys,
        0 as contained_resolved_journeys
    from attempts_aggregated

    union all

    select
        attempt_date,
        channel,
        intent_group,
        0 as attempts,
        0 as deflected_attempts,
        0 as bot_attempts,
        0 as contained_attempts,
        0 as abandoned_attempts,
        0 as handled_contacts,
        0 as handle_seconds_total,
        matured_journeys,
        fcr_journeys,
        contained_journeys,
        false_containment_journeys,
        contained_resolved_journeys
    from journeys_aggregated
),

sides_joined as (
    select
        attempt_date,
        channel,
        intent_group,
        cast(sum(attempts) as {{ dbt.type_bigint() }}) as attempts,
        cast(sum(deflected_attempts) as {{ dbt.type_bigint() }}) as deflected_attempts,
        cast(sum(bot_attempts) as {{ dbt.type_bigint() }}) as bot_attempts,
        cast(sum(contained_attempts) as {{ dbt.type_bigint() }}) as contained_attempts,
        cast(sum(abandoned_attempts) as {{ dbt.type_bigint() }}) as abandoned_attempts,
        cast(sum(handled_contacts) as {{ dbt.type_bigint() }}) as handled_contacts,
        {{ cx_sum('handle_seconds_total') }} as handle_seconds_total,
        cast(sum(matured_journeys) as {{ dbt.type_bigint() }}) as matured_journeys,
        cast(sum(fcr_journeys) as {{ dbt.type_bigint() }}) as fcr_journeys,
        cast(sum(contained_journeys) as {{ dbt.type_bigint() }}) as contained_journeys,
        cast(sum(false_containment_journeys) as {{ dbt.type_bigint() }}) as false_containment_journeys,
        cast(sum(contained_resolved_journeys) as {{ dbt.type_bigint() }}) as contained_resolved_journeys
    from sides_stacked
    group by attempt_date, channel, intent_group
),

final as (
    select
        attempt_date,
        channel,
        intent_group,
        attempts,
        deflected_attempts,
        {{ cx_safe_divide('deflected_attempts', 'attempts') }} as deflection_rate,
        bot_attempts,
        contained_attempts,
        {{ cx_safe_divide('contained_attempts', 'bot_attempts') }} as bot_containment_rate,
        abandoned_attempts,
        {{ cx_safe_divide('abandoned_attempts', 'attempts') }} as abandonment_rate,
        handled_contacts,
        handle_seconds_total,
        {{ cx_safe_divide('handle_seconds_total', 'handled_contacts') }} as aht_seconds,
        matured_journeys,
        fcr_journeys,
        {{ cx_safe_divide('fcr_journeys', 'matured_journeys') }} as fcr_rate,
        contained_journeys,
        false_containment_journeys,
        {{ cx_safe_divide('false_containment_journeys', 'contained_journeys') }} as false_containment_rate,
        contained_resolved_journeys,
        {{ cx_safe_divide('contained_resolved_journeys', 'contained_journeys') }} as contained_resolution_rate
    from sides_joined
)

select * from final
