-- Who did Zendesk call "solved in one touch" but came back? (SPEC §8.4; docs/sources/zendesk.md)
-- Zendesk's one-touch ticket (fivetran/dbt_zendesk is_one_touch_resolution) is a solved ticket with exactly one public
-- agent comment: it looks inside one ticket. Our journeys (SPEC §4.1, §4.3) look across tickets, calls and chats:
-- the same customer and intent again within the repeat window is the same problem, not solved. One row per one-touch
-- ticket whose journey has a later attempt: the customer (salted key), the ticket, and the attempt that brought
-- them back: its channel, its source system and how many hours after the ticket ended.
with

tickets as (
    select * from {{ ref('stg_zendesk__tickets') }}
),

attempts as (
    select * from {{ ref('fct_attempts') }}
),

one_touch_tickets as (
    select
        attempts.customer_key,
        attempts.journey_id,
        attempts.attempt_number,
        attempts.attempt_id as ticket_attempt_id,
        attempts.ended_at as ticket_ended_at
    from tickets
    inner join attempts
        on tickets.contact_id = attempts.head_contact_id
    where tickets.is_solved and tickets.public_agent_comments = 1
),

came_back as (
    select
        one_touch_tickets.customer_key,
        one_touch_tickets.ticket_attempt_id,
        one_touch_tickets.ticket_ended_at,
        next_attempts.attempt_id as next_attempt_id,
        next_attempts.channel as next_channel,
        next_attempts.source_system as next_source_system,
        next_attempts.started_at as next_started_at,
        {{ cx_seconds_between('one_touch_tickets.ticket_ended_at', 'next_attempts.started_at') }} / 3600.0
            as hours_until_back
    from one_touch_tickets
    inner join attempts as next_attempts
        on
            one_touch_tickets.journey_id = next_attempts.journey_id
            and next_attempts.attempt_number = one_touch_tickets.attempt_number + 1
    where one_touch_tickets.customer_key is not null
)

select * from came_back
order by customer_key, ticket_ended_at
