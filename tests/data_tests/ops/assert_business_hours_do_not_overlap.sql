{#- A schedule's weekly intervals (the business_hours seed's, or a platform's: int_business_hours_schedules) must
    not overlap (nor repeat): an overlap would count the same minutes twice. Fails with both intervals of every overlapping pair. -#}
with

intervals as (
    select
        schedule_id,
        start_minute,
        end_minute,
        row_number() over (partition by schedule_id order by start_minute, end_minute) as interval_number
    from {{ ref('int_business_hours_schedules') }}
),

overlapping_pairs as (
    select
        earlier.schedule_id,
        earlier.start_minute as first_start_minute,
        earlier.end_minute as first_end_minute,
        later.start_minute as second_start_minute,
        later.end_minute as second_end_minute
    from intervals as earlier
    inner join intervals as later
        on
            earlier.schedule_id = later.schedule_id
            and earlier.interval_number < later.interval_number
            and earlier.end_minute > later.start_minute
)

select * from overlapping_pairs
