{#- SPEC §8.4 business hours: Zendesk's schedules as weekly intervals in the shape of the business_hours seed
    (minutes from Sunday 00:00 in the schedule's time zone: Zendesk's own convention), each interval's latest
    delivery, removed ones (_fivetran_deleted) dropped. Zendesk names time zones as Rails does ("Eastern Time (US &
    Canada)"); the seed zendesk_time_zones maps them to IANA names, and a name that already is one (a '/' in it, or
    UTC) is kept. An unmapped name leaves time_zone null, which the not_null test turns into a build error naming the
    schedule and the zone. Empty when the adapter is off or no schedule was delivered. -#}
{{ config(materialized='view') }}
with

schedule_rows as (
    select * from {{ cx_platform_table('zendesk', 'schedule') }}
),

time_zones as (
    select * from {{ ref('zendesk_time_zones') }}
),

latest as (
    select
        id,
        name,
        time_zone,
        start_time,
        end_time,
        coalesce(_fivetran_deleted, false) as is_deleted,
        row_number() over (
            partition by id, start_time order by _fivetran_synced desc, filename desc, file_row_number desc
        ) as delivery_rank
    from schedule_rows
),

final as (
    select
        'zendesk:' || cast(latest.id as {{ dbt.type_string() }}) as schedule_id,
        latest.name as schedule_name,
        latest.time_zone as zendesk_time_zone,
        case
            when time_zones.time_zone is not null then time_zones.time_zone
            when latest.time_zone like '%/%' or latest.time_zone = 'UTC' then latest.time_zone
        end as time_zone,
        cast(latest.start_time as integer) as start_minute,
        cast(latest.end_time as integer) as end_minute
    from latest
    left join time_zones
        on latest.time_zone = time_zones.zendesk_time_zone
    where latest.delivery_rank = 1 and not latest.is_deleted
)

select * from final
