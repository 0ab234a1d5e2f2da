{#- Every business-hours interval of every schedule (seed business_hours: weekly intervals in minutes from
    Sunday 00:00 local time, Zendesk's convention) on every calendar day from the first contact's to as_of (one
    day more each side, for time zones away from UTC), in UTC: each interval split at local midnight, placed on
    its local date, converted with the schedule's time zone (so daylight saving moves it), and dropped on the
    schedule's holidays (seed business_holidays, local dates, inclusive). One row per schedule and interval piece. -#}
with

schedules as (
    select * from {{ ref('int_business_hours_schedules') }}
),

holidays as (
    select * from {{ ref('int_business_hours_holidays') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

bounds as (
    select
        cast({{ dbt.dateadd('day', -1, 'min(contacts.initiated_at)') }} as date) as first_date,
        cast({{ dbt.dateadd('day', 1, 'max(as_of.as_of)') }} as date) as last_date
    from contacts
    cross join as_of
),

local_days as (
    {{ cx_date_spine('bounds') }}
),

weekdays as (
    -- 0 = Sunday ... 6 = Saturday (the seed's minutes count from Sunday 00:00): the ISO day of the week mod 7
    select
        date_day,
        mod({{ cx_iso_day_of_week('date_day') }}, 7) as day_of_week
    from local_days
),

day_numbers as (
    {%- for day in range(7) %}
        select {{ day }} as day_of_week
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

pieces as (
    -- each weekly interval cut at local midnight: minutes from the start of its day
    select
        schedules.schedule_id,
        schedules.time_zone,
        day_numbers.day_of_week,
        greatest(schedules.start_minute, day_numbers.day_of_week * 1440) - day_numbers.day_of_week * 1440
            as start_minute_of_day,
        least(schedules.end_minute, (day_numbers.day_of_week + 1) * 1440) - day_numbers.day_of_week * 1440
            as end_minute_of_day
    from schedules
    inner join day_numbers
        on
            schedules.start_minute < (day_numbers.day_of_week + 1) * 1440
            and schedules.end_minute > day_numbers.day_of_week * 1440
),

placed as (
    select
        pieces.schedule_id,
        pieces.time_zone,
        weekdays.date_day as local_date,
        {{ dbt.dateadd('minute', 'pieces.start_minute_of_day', 'cast(weekdays.date_day as timestamp)') }}
            as local_start_at,
        {{ dbt.dateadd('minute', 'pieces.end_minute_of_day', 'cast(weekdays.date_day as timestamp)') }}
            as local_end_at
    from pieces
    inner join weekdays
        on pieces.day_of_week = weekdays.day_of_week
    left join holidays
        on
            pieces.schedule_id = holidays.schedule_id
            and weekdays.date_day between holidays.start_date and holidays.end_date
    where holidays.schedule_id is null
),

final as (
    select
        schedule_id,
        local_date,
        cast({{ cx_local_to_utc('local_start_at', 'time_zone') }} as timestamp) as interval_start_at,
        cast({{ cx_local_to_utc('local_end_at', 'time_zone') }} as timestamp) as interval_end_at
    from placed
)

select * from final
