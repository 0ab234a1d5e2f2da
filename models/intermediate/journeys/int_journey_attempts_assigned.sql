{%- set window_days = var('repeat_contact_window_days') -%}
with

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

identified_ordered as (
    select
        attempt_id,
        customer_id,
        intent,
        started_at,
        ended_at,
        -- the latest end among ALL earlier attempts of this customer and intent (SPEC §4.1)
        max(ended_at) over (
            partition by customer_id, intent
            order by started_at, attempt_id
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_ended_at
    from attempts
    where is_identified
),

journey_starts_flagged as (
    select
        identified_ordered.*,
        -- an exact elapsed interval, boundary inclusive: joins when started_at <= latest end + window
        case
            when identified_ordered.latest_earlier_ended_at is null then 1
            when
                identified_ordered.started_at <= {{ dbt.dateadd('day', window_days, 'latest_earlier_ended_at') }}
                then 0
            else 1
        end as is_journey_start
    from identified_ordered
),

journeys_numbered as (
    select
        journey_starts_flagged.*,
        sum(journey_starts_flagged.is_journey_start) over (
            partition by journey_starts_flagged.customer_id, journey_starts_flagged.intent
            order by journey_starts_flagged.started_at, journey_starts_flagged.attempt_id
            rows between unbounded preceding and current row
        ) as journey_number
    from journey_starts_flagged
),

identified_assigned as (
    select
        attempt_id,
        first_value(attempt_id) over (
            partition by customer_id, intent, journey_number
            order by started_at, attempt_id
        ) as journey_id,
        row_number() over (
            partition by customer_id, intent, journey_number
            order by started_at, attempt_id
        ) as attempt_number
    from journeys_numbered
),

unidentified_assigned as (
    -- an attempt with no customer is a journey of its own
    select
        attempt_id,
        attempt_id as journey_id,
        1 as attempt_number
    from attempts
    where not is_identified
),

final as (
    select * from identified_assigned
    union all
    select * from unidentified_assigned
)

select * from final
