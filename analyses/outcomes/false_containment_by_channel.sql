-- Where does bot "containment" hide the most unresolved journeys?
-- Per channel × intent group over the whole warehouse: the legacy bot containment rate (of bot attempts) next to
-- the false containment rate (of the matured journeys whose first attempt the bot kept, the share not resolved
-- first time) and its complement, the contained resolution rate. SPEC §4.3: the rates are shown side by side and
-- never subtracted from each other: bot containment counts bot attempts, the other two count contained journeys, so
-- a difference of them means nothing and can be negative. Rates are re-aggregated from numerators and
-- denominators, never averaged.
with

deflection as (
    select * from {{ ref('mart_deflection_vs_resolution') }}
),

by_channel_and_intent_group as (
    select
        channel,
        intent_group,
        sum(bot_attempts) as bot_attempts,
        sum(contained_attempts) as contained_attempts,
        sum(contained_journeys) as contained_journeys,
        sum(contained_resolved_journeys) as contained_resolved_journeys,
        sum(false_containment_journeys) as false_containment_journeys
    from deflection
    group by channel, intent_group
),

final as (
    select
        channel,
        intent_group,
        bot_attempts,
        contained_attempts,
        round({{ cx_safe_divide('contained_attempts', 'bot_attempts') }}, 3) as bot_containment_rate,
        contained_journeys,
        false_containment_journeys,
        round({{ cx_safe_divide('false_containment_journeys', 'contained_journeys') }}, 3)
            as false_containment_rate,
        contained_resolved_journeys,
        round({{ cx_safe_divide('contained_resolved_journeys', 'contained_journeys') }}, 3)
            as contained_resolution_rate
    from by_channel_and_intent_group
    where contained_journeys >= 5
)

select * from final
order by false_containment_journeys desc, contained_journeys desc
