{#- SPEC §8.1, §8.5: Salesforce Service Cloud's own service numbers next to ours on the same rows (creation date ×
    channel × queue of the Salesforce records), so an analyst can match a Service Cloud report and see where a case
    count, Salesforce's "first contact resolution" and our journey FCR part ways.
    Salesforce side: cases opened (every case of the service, the ones a messaging session or voice call stands for
    included), closed, and closed on first contact (Service Cloud has no standard FCR field; the common report
    definition is read: closed resolved — not with a status of var salesforce_unresolved_statuses —, never
    reopened and never reassigned after its first agent); voice calls and their
    average handle time (agent interaction + hold + after-conversation work of the accepted calls); messaging
    sessions by who handled them (Bot, BotToAgent, Agent); voice calls counted as their Amazon Connect contact
    (Service Cloud Voice: counted once) and Connect contacts named by more than one call (ambiguous vendor key).
    Our side, over the Salesforce contacts the warehouse keeps (cases not represented by a session or call, sessions,
    calls not counted as Connect's): contacts, their identities (SPEC §8.1), and the matured, identified journeys
    whose first attempt they are, with FCR and repeat contacts (SPEC §4.3). -#}
{%- set sides = {
    'cases_aggregated': [
        'salesforce_cases_opened', 'salesforce_cases_closed', 'salesforce_cases_closed_first_contact',
        'salesforce_cases_reassigned', 'salesforce_cases_reopened',
    ],
    'records_aggregated': [
        'salesforce_voice_calls', 'salesforce_voice_calls_handled', 'salesforce_voice_handle_seconds_total',
        'salesforce_messaging_sessions', 'salesforce_bot_sessions', 'salesforce_bot_to_agent_sessions',
        'salesforce_agent_sessions', 'salesforce_calls_counted_as_connect', 'salesforce_connect_contacts_ambiguous',
    ],
    'contacts_aggregated': [
        'contacts', 'contacts_identified_by_attribute', 'contacts_identified_by_endpoint',
        'contacts_identity_ambiguous', 'contacts_unidentified',
    ],
    'journeys_aggregated': ['matured_journeys', 'fcr_journeys', 'repeat_journeys'],
} %}

with

cases as (
    select * from {{ ref('stg_salesforce__cases') }}
),

records as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

contacts as (
    select * from {{ ref('fct_contacts') }}
    where source_system = 'salesforce'
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

cases_aggregated as (
    select
        {{ cx_to_reporting_date('initiated_at') }} as contact_date,
        channel,
        coalesce(queue, '(no queue)') as queue,
        count(*) as salesforce_cases_opened,
        count(case when is_closed then 1 end) as salesforce_cases_closed,
        count(case when disposition = 'resolved' and reopens = 0 and owner_changes = 0 then 1 end)
            as salesforce_cases_closed_first_contact,
        count(case when owner_changes > 0 then 1 end) as salesforce_cases_reassigned,
        count(case when reopens > 0 then 1 end) as salesforce_cases_reopened
    from cases
    group by {{ cx_to_reporting_date('initiated_at') }}, channel, coalesce(queue, '(no queue)')
),

connect_pairs as (
    -- Amazon Connect contacts and how many Salesforce voice calls name them (SPEC §8.5)
    select
        connect_contact_id,
        count(*) as calls
    from records
    where connect_contact_id is not null
    group by connect_contact_id
),

records_aggregated as (
    select
        {{ cx_to_reporting_date('records.initiated_at') }} as contact_date,
        records.channel,
        coalesce(records.queue, '(no queue)') as queue,
        count(case when records.salesforce_object = 'voice_call' then 1 end) as salesforce_voice_calls,
        count(
            case when records.salesforce_object = 'voice_call' and records.connected_to_agent_at is not null then 1 end
        ) as salesforce_voice_calls_handled,
        coalesce({{ cx_sum(
            "case when records.salesforce_object = 'voice_call' and records.connected_to_agent_at is not null then"
            ~ " coalesce(records.agent_interaction_seconds, 0) + coalesce(records.hold_seconds_reported, 0)"
            ~ " + coalesce(records.after_contact_work_seconds, 0) end"
        ) }}, 0) as salesforce_voice_handle_seconds_total,
        count(case when records.salesforce_object = 'messaging_session' then 1 end) as salesforce_messaging_sessions,
        count(case when records.agent_type = 'bot' then 1 end) as salesforce_bot_sessions,
        count(case when records.agent_type = 'bottoagent' then 1 end) as salesforce_bot_to_agent_sessions,
        count(case when records.agent_type = 'agent' then 1 end) as salesforce_agent_sessions,
        count(records.connect_contact_id) as salesforce_calls_counted_as_connect,
        count(distinct case when connect_pairs.calls > 1 then connect_pairs.connect_contact_id end)
            as salesforce_connect_contacts_ambiguous
    from records
    left join connect_pairs
        on records.connect_contact_id = connect_pairs.connect_contact_id
    where records.salesforce_object in ('voice_call', 'messaging_session')
    group by
        {{ cx_to_reporting_date('records.initiated_at') }}, records.channel, coalesce(records.queue, '(no queue)')
),

contacts_aggregated as (
    select
        contact_date,
        channel,
        coalesce(queue, '(no queue)') as queue,
        count(*) as contacts,
        {{ cx_identity_method_counts() }}
    from contacts
    group by contact_date, channel, coalesce(queue, '(no queue)')
),

journeys_aggregated as (
    -- SPEC §4.3: matured, identified journeys, by their first attempt's head contact
    select
        contacts.contact_date,
        contacts.channel,
        coalesce(contacts.queue, '(no queue)') as queue,
        count(*) as matured_journeys,
        count(case when journeys.is_fcr then 1 end) as fcr_journeys,
        count(case when journeys.is_repeat then 1 end) as repeat_journeys
    from journeys
    inner join contacts
        on journeys.first_attempt_id = contacts.contact_id
    where journeys.is_identified and journeys.is_matured
    group by contacts.contact_date, contacts.channel, coalesce(contacts.queue, '(no queue)')
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
        salesforce_cases_opened,
        salesforce_cases_closed,
        salesforce_cases_closed_first_contact,
        {{ cx_safe_divide('salesforce_cases_closed_first_contact', 'salesforce_cases_closed') }}
            as salesforce_fcr_rate,
        salesforce_cases_reassigned,
        salesforce_cases_reopened,
        salesforce_voice_calls,
        salesforce_voice_calls_handled,
        salesforce_voice_handle_seconds_total,
        {{ cx_safe_divide('salesforce_voice_handle_seconds_total', 'salesforce_voice_calls_handled') }}
            as salesforce_voice_aht_seconds,
        salesforce_messaging_sessions,
        salesforce_bot_sessions,
        salesforce_bot_to_agent_sessions,
        salesforce_agent_sessions,
        salesforce_calls_counted_as_connect,
        salesforce_connect_contacts_ambiguous,
        contacts,
        matured_journeys,
        fcr_journeys,
        {{ cx_safe_divide('fcr_journeys', 'matured_journeys') }} as fcr_rate,
        repeat_journeys,
        {{ cx_safe_divide('repeat_journeys', 'matured_journeys') }} as repeat_contact_rate,
        contacts_identified_by_attribute,
        contacts_identified_by_endpoint,
        contacts_identity_ambiguous,
        contacts_unidentified
    from joined
)

select * from final
{{ cx_empty_unless_enabled('salesforce') }}
