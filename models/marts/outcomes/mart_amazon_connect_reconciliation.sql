{#- SPEC §8.1, §8.2: Amazon Connect's own headline numbers, as Amazon defines them, next to ours on the same rows
    (contact date × channel × queue of Amazon Connect contacts), so an analyst can match Connect's dashboards and see
    where and why our figures differ. Connect side, over the accepted contact records of the day:
    contacts handled (connected to an agent), contacts abandoned (disconnected by the customer while in queue), average handle
    time (AgentInteractionDuration + CustomerHoldDuration + AfterContactWorkDuration over handled contacts), and the
    first-contact-resolution reading the records allow: a case (the case_id attribute), else an initial contact's
    chain, with exactly one contact, attributed to its first contact. Our side, over the attempts whose head contact
    is a Connect contact of that day, channel and queue: attempts, abandonment (final disposition abandoned), AHT
    (agent connect → disconnect, SPEC §4.3), and FCR over the matured, identified journeys whose first attempt it
    is. Identity (SPEC §8.1): how the day's contacts found their customer, ambiguous matches included. -#}
{#- each side's counts, by the CTE that aggregates them per contact_date × channel × queue -#}
{%- set sides = {
    'connect_contacts_aggregated': [
        'connect_contacts', 'connect_contacts_handled', 'connect_contacts_queued', 'connect_contacts_abandoned',
        'connect_handle_seconds_total', 'contacts_identified_by_attribute', 'contacts_identified_by_endpoint',
        'contacts_identity_ambiguous', 'contacts_unidentified',
    ],
    'connect_resolution_aggregated': ['connect_resolution_groups', 'connect_single_contact_groups'],
    'attempts_aggregated': ['attempts', 'abandoned_attempts', 'handled_contacts', 'handle_seconds_total'],
    'journeys_aggregated': ['matured_journeys', 'fcr_journeys'],
} %}

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

connect_contacts as (
    select
        contact_id,
        attempt_id,
        case_id,
        contact_date,
        channel,
        coalesce(queue, '(no queue)') as queue,
        initiated_at,
        is_agent_connected,
        enqueued_at,
        disconnect_reason,
        platform_handle_seconds,
        identity_method
    from contacts
    where source_system = 'amazon_connect'
),

connect_contacts_aggregated as (
    select
        contact_date,
        channel,
        queue,
        count(*) as connect_contacts,
        count(case when is_agent_connected then 1 end) as connect_contacts_handled,
        count(case when enqueued_at is not null then 1 end) as connect_contacts_queued,
        -- Connect's "abandoned": disconnected by the customer while in queue (a callback is not abandoned)
        count(
            case
                when enqueued_at is not null and not is_agent_connected and disconnect_reason = 'customer_disconnect'
                    then 1
            end
        ) as connect_contacts_abandoned,
        coalesce({{ cx_sum('case when is_agent_connected then platform_handle_seconds end') }}, 0)
            as connect_handle_seconds_total,
        {{ cx_identity_method_counts() }}
    from connect_contacts
    group by contact_date, channel, queue
),

connect_resolution_groups as (
    -- Connect's reading: a case, else an initial contact's chain, resolved at first contact when it has one contact
    select
        contact_date,
        channel,
        queue,
        count(*) over (partition by {{ cx_connect_resolution_group('case_id', 'attempt_id') }}) as group_contacts,
        row_number() over (
            partition by {{ cx_connect_resolution_group('case_id', 'attempt_id') }}
            order by initiated_at, contact_id
        ) as position_in_group
    from connect_contacts
),

connect_resolution_aggregated as (
    select
        contact_date,
        channel,
        queue,
        count(*) as connect_resolution_groups,
        count(case when group_contacts = 1 then 1 end) as connect_single_contact_groups
    from connect_resolution_groups
    where position_in_group = 1
    group by contact_date, channel, queue
),

connect_attempts as (
    select
        attempts.attempt_id,
        attempts.attempt_date as contact_date,
        attempts.channel,
        head_contacts.queue,
        attempts.final_disposition,
        attempts.handled_contacts,
        attempts.handle_seconds
    from attempts
    inner join connect_contacts as head_contacts
        on attempts.head_contact_id = head_contacts.contact_id
),

attempts_aggregated as (
    select
        contact_date,
        channel,
        queue,
        {{ cx_attempt_handling_measures() }}
    from connect_attempts
    group by contact_date, channel, queue
),

journeys_aggregated as (
    -- SPEC §4.3: matured, identified journeys, by their first attempt
    select
        connect_attempts.contact_date,
        connect_attempts.channel,
        connect_attempts.queue,
        count(*) as matured_journeys,
        count(case when journeys.is_fcr then 1 end) as fcr_journeys
    from journeys
    inner join connect_attempts
        on journeys.first_attempt_id = connect_attempts.attempt_id
    where journeys.is_identified and journeys.is_matured
    group by connect_attempts.contact_date, connect_attempts.channel, connect_attempts.queue
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
        connect_contacts,
        connect_contacts_handled,
        connect_contacts_queued,
        connect_contacts_abandoned,
        {{ cx_safe_divide('connect_contacts_abandoned', 'connect_contacts_queued') }} as connect_abandonment_rate,
        connect_handle_seconds_total,
        {{ cx_safe_divide('connect_handle_seconds_total', 'connect_contacts_handled') }} as connect_aht_seconds,
        connect_resolution_groups,
        connect_single_contact_groups,
        {{ cx_safe_divide('connect_single_contact_groups', 'connect_resolution_groups') }} as connect_fcr_rate,
        attempts,
        abandoned_attempts,
        {{ cx_safe_divide('abandoned_attempts', 'attempts') }} as abandonment_rate,
        handled_contacts,
        handle_seconds_total,
        {{ cx_safe_divide('handle_seconds_total', 'handled_contacts') }} as aht_seconds,
        matured_journeys,
        fcr_journeys,
        {{ cx_safe_divide('fcr_journeys', 'matured_journeys') }} as fcr_rate,
        contacts_identified_by_attribute,
        contacts_identified_by_endpoint,
        contacts_identity_ambiguous,
        contacts_unidentified
    from joined
)

select * from final
{{ cx_empty_unless_enabled('amazon_connect') }}
