-- Which channels' customers hop most?
-- By the channel the journey started on: the share of matured journeys that needed another attempt (repeat) and
-- the share that moved to another channel (hopping), next to FCR — a channel that "handles" contacts cheaply but
-- sends customers elsewhere shows a high hopping rate and a low FCR.
with

resolution as (
    select * from {{ ref('mart_first_contact_resolution') }}
),

by_channel as (
    select
        channel,
        sum(journeys) as journeys,
        sum(matured_journeys) as matured_journeys,
        sum(pending_journeys) as pending_journeys,
        sum(fcr_journeys) as fcr_journeys,
        sum(resolved_journeys) as resolved_journeys,
        sum(repeat_journeys) as repeat_journeys,
        sum(channel_hopping_journeys) as channel_hopping_journeys
    from resolution
    group by channel
),

final as (
    select
        channel,
        journeys,
        matured_journeys,
        pending_journeys,
        round({{ cx_safe_divide('fcr_journeys', 'matured_journeys') }}, 3) as fcr_rate,
        round({{ cx_safe_divide('resolved_journeys', 'matured_journeys') }}, 3) as resolution_rate,
        round({{ cx_safe_divide('repeat_journeys', 'matured_journeys') }}, 3) as repeat_contact_rate,
        round({{ cx_safe_divide('channel_hopping_journeys', 'matured_journeys') }}, 3) as channel_hopping_rate,
        -- of the journeys that came back, how many came back on another channel
        round({{ cx_safe_divide('channel_hopping_journeys', 'repeat_journeys') }}, 3) as hopping_share_of_repeats
    from by_channel
)

select * from final
order by channel_hopping_rate desc nulls last
