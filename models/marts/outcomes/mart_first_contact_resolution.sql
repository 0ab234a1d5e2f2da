{#- SPEC §4.3 journey rates: matured, identified journeys are the denominator; every journey (incl.
    unidentified) is counted in `journeys`; identified journeys not yet matured are `pending_journeys`. -#}
with

journeys as (
    select * from {{ ref('fct_journeys') }}
),

journeys_flagged as (
    select
        journey_date,
        channel,
        intent_group,
        ai_interaction_type,
        is_identified,
        coalesce(is_identified and is_matured, false) as is_rated,
        coalesce(is_pending, false) as is_pending,
        is_fcr,
        is_one_touch,
        is_resolved,
        is_repeat,
        is_channel_hopping
    from journeys
),

aggregated as (
    select
        journey_date,
        channel,
        intent_group,
        ai_interaction_type,
        count(*) as journeys,
        count(case when is_identified then 1 end) as identified_journeys,
        count(case when is_rated then 1 end) as matured_journeys,
        count(case when is_pending then 1 end) as pending_journeys,
        count(case when is_rated and is_fcr then 1 end) as fcr_journeys,
        count(case when is_rated and is_one_touch then 1 end) as one_touch_journeys,
        count(case when is_rated and is_resolved then 1 end) as resolved_journeys,
        count(case when is_rated and is_repeat then 1 end) as repeat_journeys,
        count(case when is_rated and is_channel_hopping then 1 end) as channel_hopping_journeys
    from journeys_flagged
    group by journey_date, channel, intent_group, ai_interaction_type
),

final as (
    select
        journey_date,
        channel,
        intent_group,
        ai_interaction_type,
        journeys,
        identified_journeys,
        matured_journeys,
        pending_journeys,
        fcr_journeys,
        {{ cx_safe_divide('fcr_journeys', 'matured_journeys') }} as fcr_rate,
        one_touch_journeys,
        {{ cx_safe_divide('one_touch_journeys', 'matured_journeys') }} as one_touch_rate,
        resolved_journeys,
        {{ cx_safe_divide('resolved_journeys', 'matured_journeys') }} as resolution_rate,
        repeat_journeys,
        {{ cx_safe_divide('repeat_journeys', 'matured_journeys') }} as repeat_contact_rate,
        channel_hopping_journeys,
        {{ cx_safe_divide('channel_hopping_journeys', 'matured_journeys') }} as channel_hopping_rate
    from aggregated
)

select * from final
