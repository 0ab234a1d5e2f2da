-- Did AI assistance improve FCR once the intent mix is accounted for?
-- Month by month: the raw FCR uplift of journeys whose first attempt was AI-assisted vs human-only, next to the
-- intent-standardised uplift (same intents compared, weighted by their journeys of both types). Where raw is
-- clearly above standardised, part of the "AI effect" is just AI taking the easier intents. The last row pools
-- the months: standardised uplifts weighted by the journeys that entered them, raw rates from the summed counts.
with

uplift as (
    select * from {{ ref('mart_ai_assist_uplift') }}
),

monthly as (
    select
        cast(month as {{ dbt.type_string() }}) as period,
        assisted_journeys,
        human_journeys,
        assisted_fcr_rate,
        human_fcr_rate,
        fcr_uplift,
        fcr_uplift_standardised,
        fcr_standardised_intents,
        fcr_weight_journeys
    from uplift
    where intent_group = 'all'
),

pooled as (
    select
        'all months' as period,
        sum(assisted_journeys) as assisted_journeys,
        sum(human_journeys) as human_journeys,
        {{ cx_safe_divide('sum(assisted_fcr_journeys)', 'sum(assisted_journeys)') }} as assisted_fcr_rate,
        {{ cx_safe_divide('sum(human_fcr_journeys)', 'sum(human_journeys)') }} as human_fcr_rate,
        {{ cx_safe_divide('sum(assisted_fcr_journeys)', 'sum(assisted_journeys)') }}
        - {{ cx_safe_divide('sum(human_fcr_journeys)', 'sum(human_journeys)') }} as fcr_uplift,
        {{ cx_safe_divide('sum(fcr_uplift_standardised * fcr_weight_journeys)', 'sum(fcr_weight_journeys)') }}
            as fcr_uplift_standardised,
        cast(null as bigint) as fcr_standardised_intents,
        sum(fcr_weight_journeys) as fcr_weight_journeys
    from uplift
    where intent_group = 'all'
),

combined as (
    select * from monthly
    union all
    select * from pooled
),

final as (
    select
        period,
        assisted_journeys,
        human_journeys,
        round(assisted_fcr_rate, 3) as assisted_fcr_rate,
        round(human_fcr_rate, 3) as human_fcr_rate,
        round(fcr_uplift, 3) as fcr_uplift_raw,
        round(fcr_uplift_standardised, 3) as fcr_uplift_standardised,
        round(fcr_uplift - fcr_uplift_standardised, 3) as intent_mix_effect,
        fcr_standardised_intents,
        fcr_weight_journeys
    from combined
)

select * from final
order by period
