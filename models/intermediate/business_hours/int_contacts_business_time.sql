{#- Queue wait and handle time of every contact in business hours (SPEC §4.5's intervals, counted only inside the
    var('business_hours_schedule') schedule of the business_hours seed; its time zone, daylight saving and
    holidays applied), beside the calendar seconds: a contact queued overnight waited hours, not business hours.
    A view: computed when read (a range join against a few thousand intervals), never stored a second time. -#}
{{ config(materialized='view') }}
with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

spans as (
    select
        contact_id,
        '{{ var("business_hours_schedule") }}' as schedule_id,
        enqueued_at as queue_started_at,
        coalesce(connected_to_agent_at, disconnected_at) as queue_ended_at,
        connected_to_agent_at as handle_started_at,
        case when connected_to_agent_at is not null then disconnected_at end as handle_ended_at,
        queue_wait_seconds,
        handle_seconds
    from contacts
),

queue_business as (
    {{ cx_business_seconds('spans', 'contact_id', 'queue_started_at', 'queue_ended_at', 'schedule_id') }}
),

handle_business as (
    {{ cx_business_seconds('spans', 'contact_id', 'handle_started_at', 'handle_ended_at', 'schedule_id') }}
),

final as (
    select
        spans.contact_id,
        spans.schedule_id,
        spans.queue_wait_seconds,
        -- no queue (never enqueued) waits 0, as queue_wait_seconds does
        case when spans.queue_started_at is null then 0 else queue_business.business_seconds end
            as queue_wait_business_seconds,
        spans.handle_seconds,
        handle_business.business_seconds as handle_business_seconds
    from spans
    left join queue_business
        on spans.contact_id = queue_business.contact_id
    left join handle_business
        on spans.contact_id = handle_business.contact_id
)

select * from final
