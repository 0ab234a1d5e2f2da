{#- SPEC §8.1, §8.4: Zendesk's own ticket metrics, as Zendesk and fivetran/dbt_zendesk define them, next to ours on
    the same rows (ticket creation date × channel × group of the accepted Zendesk tickets), so an analyst can match
    Zendesk Explore and see where ticket-level "one touch" and journey-level FCR part ways.
    Zendesk side, per ticket as of its accepted version: solved tickets (status solved or closed); one-touch,
    two-touch and multi-touch tickets (solved tickets with 1, 2, 3+ public agent comments); reopened tickets (left
    solved at least once) and reopens; first reply time (creation → first public agent comment) and full resolution
    time (creation → last solve), each in calendar minutes and in business minutes of the ticket's schedule (its
    ticket_schedule, else var business_hours_schedule; the schedule's time zone, daylight saving and holidays).
    Our side, over the same tickets (each its own attempt): matured, identified journeys whose first attempt the
    ticket is, and their FCR, one-touch resolution and repeat contacts (SPEC §4.3). -#}
{%- set sides = {
    'tickets_aggregated': [
        'zendesk_tickets', 'zendesk_solved_tickets', 'zendesk_one_touch_tickets', 'zendesk_two_touch_tickets',
        'zendesk_multi_touch_tickets', 'zendesk_reopened_tickets', 'zendesk_reopens', 'zendesk_replied_tickets',
        'zendesk_first_reply_minutes_total', 'zendesk_first_reply_business_minutes_total',
        'zendesk_full_resolution_minutes_total', 'zendesk_full_resolution_business_minutes_total',
        'contacts_identified_by_attribute', 'contacts_identified_by_endpoint', 'contacts_identity_ambiguous',
        'contacts_unidentified',
    ],
    'journeys_aggregated': ['matured_journeys', 'fcr_journeys', 'one_touch_journeys', 'repeat_journeys'],
} %}

with

contacts as (
    select * from {{ ref('fct_contacts') }}
),

tickets as (
    select * from {{ ref('stg_zendesk__tickets') }}
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

zendesk_tickets as (
    select
        contacts.contact_id,
        contacts.attempt_id,
        contacts.contact_date,
        contacts.channel,
        coalesce(contacts.queue, '(no group)') as queue,
        contacts.initiated_at,
        contacts.connected_to_agent_at,
        tickets.is_solved,
        -- full resolution time is a solved ticket's: its last solve
        case when tickets.is_solved then tickets.last_solved_at end as resolved_at,
        tickets.public_agent_comments,
        tickets.reopens,
        coalesce(tickets.schedule_id, '{{ var("business_hours_schedule") }}') as schedule_id,
        contacts.identity_method
    from contacts
    inner join tickets
        on contacts.contact_id = tickets.contact_id
),

first_reply_business as (
    {{ cx_business_seconds('zendesk_tickets', 'contact_id', 'initiated_at', 'connected_to_agent_at', 'schedule_id') }}
),

full_resolution_business as (
    {{ cx_business_seconds('zendesk_tickets', 'contact_id', 'initiated_at', 'resolved_at', 'schedule_id') }}
),

ticket_measures as (
    select
        zendesk_tickets.*,
        {{ cx_seconds_between('zendesk_tickets.initiated_at', 'zendesk_tickets.connected_to_agent_at') }} / 60.0
            as first_reply_minutes,
        first_reply_business.business_seconds / 60.0 as first_reply_business_minutes,
        {{ cx_seconds_between('zendesk_tickets.initiated_at', 'zendesk_tickets.resolved_at') }} / 60.0
            as full_resolution_minutes,
        full_resolution_business.business_seconds / 60.0 as full_resolution_business_minutes
    from zendesk_tickets
    left join first_reply_business
        on zendesk_tickets.contact_id = first_reply_business.contact_id
    left join full_resolution_business
        on zendesk_tickets.contact_id = full_resolution_business.contact_id
),

tickets_aggregated as (
    select
        contact_date,
        channel,
        queue,
        count(*) as zendesk_tickets,
        count(case when is_solved then 1 end) as zendesk_solved_tickets,
        count(case when is_solved and public_agent_comments = 1 then 1 end) as zendesk_one_touch_tickets,
        count(case when is_solved and public_agent_comments = 2 then 1 end) as zendesk_two_touch_tickets,
        count(case when is_solved and public_agent_comments >= 3 then 1 end) as zendesk_multi_touch_tickets,
        count(case when reopens > 0 then 1 end) as zendesk_reopened_tickets,
        cast(coalesce(sum(reopens), 0) as {{ dbt.type_bigint() }}) as zendesk_reopens,
        count(connected_to_agent_at) as zendesk_replied_tickets,
        coalesce({{ cx_sum('first_reply_minutes') }}, 0) as zendesk_first_reply_minutes_total,
        coalesce({{ cx_sum('first_reply_business_minutes') }}, 0) as zendesk_first_reply_business_minutes_total,
        coalesce({{ cx_sum('full_resolution_minutes') }}, 0) as zendesk_full_resolution_minutes_total,
        coalesce({{ cx_sum('full_resolution_business_minutes') }}, 0)
            as zendesk_full_resolution_business_minutes_total,
        {{ cx_identity_method_counts() }}
    from ticket_measures
    group by contact_date, channel, queue
),

journeys_aggregated as (
    -- SPEC §4.3: matured, identified journeys, by their first attempt (a ticket is its own attempt)
    select
        zendesk_tickets.contact_date,
        zendesk_tickets.channel,
        zendesk_tickets.queue,
        count(*) as matured_journeys,
        count(case when journeys.is_fcr then 1 end) as fcr_journeys,
        count(case when journeys.is_one_touch then 1 end) as one_touch_journeys,
        count(case when journeys.is_repeat then 1 end) as repeat_journeys
    from journeys
    inner join zendesk_tickets
        on journeys.first_attempt_id = zendesk_tickets.attempt_id
    where journeys.is_identified and journeys.is_matured
    group by zendesk_tickets.contact_date, zendesk_tickets.channel, zendesk_tickets.queue
),

joined as (
    -- every side's counts on every row; 0 where a side has nothing for it
    {{ cx_sides_joined(sides) }}
),

final as (
    select
        contact_date,
        channel,
        queue,
        zendesk_tickets,
        zendesk_solved_tickets,
        zendesk_one_touch_tickets,
        {{ cx_safe_divide('zendesk_one_touch_tickets', 'zendesk_solved_tickets') }} as zendesk_one_touch_rate,
        zendesk_two_touch_tickets,
        zendesk_multi_touch_tickets,
        zendesk_reopened_tickets,
        {{ cx_safe_divide('zendesk_reopened_tickets', 'zendesk_solved_tickets') }} as zendesk_reopen_rate,
        zendesk_reopens,
        zendesk_replied_tickets,
        zendesk_first_reply_minutes_total,
        {{ cx_safe_divide('zendesk_first_reply_minutes_total', 'zendesk_replied_tickets') }}
            as zendesk_first_reply_minutes_avg,
        zendesk_first_reply_business_minutes_total,
        {{ cx_safe_divide('zendesk_first_reply_business_minutes_total', 'zendesk_replied_tickets') }}
            as zendesk_first_reply_business_minutes_avg,
        zendesk_full_resolution_minutes_total,
        {{ cx_safe_divide('zendesk_full_resolution_minutes_total', 'zendesk_solved_tickets') }}
            as zendesk_full_resolution_minutes_avg,
        zendesk_full_resolution_business_minutes_total,
        {{ cx_safe_divide('zendesk_full_resolution_business_minutes_total', 'zendesk_solved_tickets') }}
            as zendesk_full_resolution_business_minutes_avg,
        matured_journeys,
        fcr_journeys,
        {{ cx_safe_divide('fcr_journeys', 'matured_journeys') }} as fcr_rate,
        one_touch_journeys,
        {{ cx_safe_divide('one_touch_journeys', 'matured_journeys') }} as one_touch_rate,
        repeat_journeys,
        {{ cx_safe_divide('repeat_journeys', 'matured_journeys') }} as repeat_contact_rate,
        contacts_identified_by_attribute,
        contacts_identified_by_endpoint,
        contacts_identity_ambiguous,
        contacts_unidentified
    from joined
)

select * from final
{{ cx_empty_unless_enabled('zendesk') }}
