-- Where is the gap between bot containment and real resolution largest?
-- Per channel × intent group over the whole warehouse: the legacy bot containment rate (attempts) next to the
-- contained resolution rate (matured journeys whose first attempt the bot kept: resolved with no repeat).
-- SPEC §4.3's gap (containment rate − contained resolution rate) mixes two denominators (bot attempts vs contained
-- journeys) and can be negative; containment × false containment rate puts both on one base: the share of bot
-- attempts that the legacy metric counts as contained but that were not resolved first time. Rates are
-- re-aggregated from numerators and denominators, never averaged.
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

rates as (
    select
        *,
        {{ cx_safe_divide('contained_attempts', 'bot_attempts') }} as bot_containment_rate,
        {{ cx_safe_divide('contained_resolved_journeys', 'contained_journeys') }} as contained_resolution_rate
    from by_channel_and_intent_group
),

final as (
    select
        channel,
        intent_group,
        bot_attempts,
        contained_attempts,
        round(bot_containment_rate, 3) as bot_containment_rate,
        contained_journeys,
        false_containment_journeys,
        round(contained_resolution_rate, 3) as contained_resolution_rate,
        round(bot_containment_rate - contained_resolution_rate, 3) as containment_gap,
        round(bot_containment_rate * (1 - contained_resolution_rate), 3) as contained_not_resolved_share,
        -- the gap in journeys: contained journeys the legacy metric counts as a success that were not resolved
        false_containment_journeys as unresolved_contained_journeys
    from rates
    where contained_journeys >= 5
)

select * from final
order by contained_not_resolved_share desc nulls last, contained_journeys desc
