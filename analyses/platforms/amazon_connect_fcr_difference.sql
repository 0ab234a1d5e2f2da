-- Why does our FCR differ from Amazon Connect's? (SPEC §8.2; docs/sources/amazon_connect.md)
-- Connect's reading counts a case (the case_id attribute), else an initial contact's chain, as resolved at first
-- contact when it has exactly one contact. Ours (SPEC §4.3) needs the customer's journey (same customer and intent,
-- every channel and source, a 7-day repeat window) to have one attempt, ending resolved, and waits until the window
-- has passed. Each Connect chain is put in the one bucket that explains its place on each side, per channel:
-- what Connect calls resolved but we do not (a repeat within the window, an unresolved end, a caller we could not
-- identify, a journey still pending) and the reverse (a chain with a transfer is one attempt for us).
with

contacts as (
    select * from {{ ref('fct_contacts') }}
),

attempts as (
    select * from {{ ref('fct_attempts') }}
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

connect_contacts_grouped as (
    -- Connect's unit: a case, else a chain
    select
        attempt_id,
        count(*) over (partition by {{ cx_connect_resolution_group('case_id', 'attempt_id') }}) as group_contacts,
        row_number() over (
            partition by {{ cx_connect_resolution_group('case_id', 'attempt_id') }}
            order by initiated_at, contact_id
        ) as position_in_group
    from contacts
    where source_system = 'amazon_connect'
),

connect_groups as (
    -- carried by the attempt of the group's first contact
    select
        attempt_id,
        group_contacts
    from connect_contacts_grouped
    where position_in_group = 1
),

classified as (
    select
        attempts.channel,
        connect_groups.group_contacts = 1 as is_connect_fcr,
        case
            when not journeys.is_identified then 'unidentified: no repeat detection, left out of our FCR'
            when not journeys.is_matured then 'pending: the repeat window is still open'
            when journeys.first_attempt_id <> attempts.attempt_id then 'a repeat: a later attempt of a journey'
            when journeys.attempts > 1 then 'came back within the window (any channel)'
            when journeys.is_fcr then 'resolved at first contact'
            else 'one attempt, not resolved'
        end as our_reading
    from connect_groups
    inner join attempts
        on connect_groups.attempt_id = attempts.attempt_id
    inner join journeys
        on attempts.journey_id = journeys.journey_id
),

final as (
    select
        channel,
        case when is_connect_fcr then 'Connect: one contact' else 'Connect: several contacts' end as connect_reading,
        our_reading,
        count(*) as connect_groups,
        round(100.0 * count(*) / sum(count(*)) over (partition by channel), 1) as percent_of_channel
    from classified
    group by channel, is_connect_fcr, our_reading
)

select * from final
order by channel asc, connect_reading asc, connect_groups desc
