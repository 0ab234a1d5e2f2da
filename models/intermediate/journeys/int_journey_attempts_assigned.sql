{%- set window_days = var('repeat_contact_window_days') -%}
{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='attempt_id',
    replace_changed={'attempt_id': 'int_changed_attempts'},
) }}
{#- Incremental: journey assignment depends only on the attempts of one (customer, intent), so a run recomputes
    every attempt of each pair that has a changed attempt (int_changed_attempts), under its old pair (stored
    here) and its new one; unidentified changed attempts are journeys of their own. Journey ids are first-attempt
    ids, so the other pairs' rows stay valid. cx_replace first deletes the changed attempts, so one whose chain
    no longer exists disappears. -#}
with

all_attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

changed_attempts as (  -- noqa: ST03
    select * from {{ ref('int_changed_attempts') }}
),
{%- if is_incremental() %}

changed_pairs as (
    -- the pairs of the changed attempts as stored by the last run (old) and as chained now (new)
    select
        customer_id,
        intent
    from {{ this }}
    where
        customer_id is not null
        and attempt_id in (select changed_attempts.attempt_id from changed_attempts)
    union
    select
        customer_id,
        intent
    from all_attempts
    where
        customer_id is not null
        and attempt_id in (select changed_attempts.attempt_id from changed_attempts)
),
{%- endif %}

attempts as (
    select all_attempts.*
    from all_attempts
    {%- if is_incremental() %}
    where
        (
            all_attempts.is_identified
            and exists (
                select 1
                from changed_pairs
                where
                    all_attempts.customer_id = changed_pairs.customer_id
                    and all_attempts.intent = changed_pairs.intent
            )
        )
        or (
            not all_attempts.is_identified
            and all_attempts.attempt_id in (select changed_attempts.attempt_id from changed_attempts)
        )
    {%- endif %}
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
        customer_id,
        intent,
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
        customer_id,
        intent,
        attempt_id as journey_id,
        1 as attempt_number
    from attempts
    where not is_identified
),

assigned as (
    select * from identified_assigned
    union all
    select * from unidentified_assigned
),

final as (
    select
        attempt_id,
        customer_id,
        intent,
        journey_id,
        attempt_number,
        {{ cx_batch_at() }} as _batch_at
    from assigned
)

select * from final
