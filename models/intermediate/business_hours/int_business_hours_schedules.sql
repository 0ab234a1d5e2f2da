{#- Every business-hours schedule's weekly intervals: the business_hours seed's (the default schedule, and any a
    centre adds) and each enabled platform's own (Zendesk's schedules, stg_zendesk__schedules), in one shape:
    minutes from Sunday 00:00 in the schedule's IANA time zone. -#}
{{ config(materialized='view') }}
with

seeded as (
    select * from {{ ref('business_hours') }}
),

zendesk as (
    select * from {{ ref('stg_zendesk__schedules') }}
),

unioned as (
    select
        schedule_id,
        time_zone,
        start_minute,
        end_minute
    from seeded
    union all
    select
        schedule_id,
        time_zone,
        start_minute,
        end_minute
    from zendesk
)

select * from unioned
