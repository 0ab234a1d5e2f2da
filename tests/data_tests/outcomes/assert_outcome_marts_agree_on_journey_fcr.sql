-- The journey side of mart_deflection_vs_resolution agrees with mart_first_contact_resolution on every
-- attempt_date × channel × intent_group: same matured journeys and FCR journeys (both attribute a journey to its
-- first attempt).
with

deflection as (
    select * from {{ ref('mart_deflection_vs_resolution') }}
),

resolution as (
    select * from {{ ref('mart_first_contact_resolution') }}
),

resolution_rolled_up as (
    select
        journey_date,
        channel,
        intent_group,
        sum(matured_journeys) as matured_journeys,
        sum(fcr_journeys) as fcr_journeys
    from resolution
    group by journey_date, channel, intent_group
    having sum(matured_journeys) > 0
),

deflection_with_journeys as (
    select
        attempt_date,
        channel,
        intent_group,
        matured_journeys,
        fcr_journeys
    from deflection
    where matured_journeys > 0
),

compared as (
    select
        coalesce(deflection_with_journeys.attempt_date, resolution_rolled_up.journey_date) as attempt_date,
        coalesce(deflection_with_journeys.channel, resolution_rolled_up.channel) as channel,
        coalesce(deflection_with_journeys.intent_group, resolution_rolled_up.intent_group) as intent_group,
        deflection_with_journeys.matured_journeys as deflection_matured_journeys,
        resolution_rolled_up.matured_journeys as resolution_matured_journeys,
        deflection_with_journeys.fcr_journeys as deflection_fcr_journeys,
        resolution_rolled_up.fcr_journeys as resolution_fcr_journeys
    from deflection_with_journeys
    full outer join resolution_rolled_up
        on
            deflection_with_journeys.attempt_date = resolution_rolled_up.journey_date
            and deflection_with_journeys.channel = resolution_rolled_up.channel
            and deflection_with_journeys.intent_group = resolution_rolled_up.intent_group
)

select * from compared
where
    deflection_matured_journeys is distinct from resolution_matured_journeys
    or deflection_fcr_journeys is distinct from resolution_fcr_journeys
