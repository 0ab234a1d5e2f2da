{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='journey_id',
    replace_changed={'journey_id': 'int_changed_journeys'},
) }}
{#- Incremental: a run recomputes the journeys of int_changed_journeys (every journey of a (customer, intent) with
    a changed attempt) and the stored journeys whose maturity flips because as_of moved (cx_is_matured on the
    stored ended_at); nothing else in a journey depends on as_of. cx_replace first deletes the changed journeys,
    so an id that is no longer any attempt's journey disappears. -#}
{%- set ai_types = ['self_service_ai', 'ai_to_agent', 'ai_assisted_agent'] -%}
with

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

all_assignments as (
    select * from {{ ref('int_journey_attempts_assigned') }}
),

effort_weights as (
    select * from {{ ref('effort_weights') }}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

changed_journeys as (  -- noqa: ST03
    select * from {{ ref('int_changed_journeys') }}
),
{%- if is_incremental() %}

journeys_to_recompute as (
    select journey_id
    from changed_journeys
    union
    select stored.journey_id
    from {{ this }} as stored
    cross join as_of
    where stored.is_matured <> ({{ cx_is_matured('stored.ended_at', 'as_of.as_of') }})
),
{%- endif %}

assignments as (
    select all_assignments.*
    from all_assignments
    {%- if is_incremental() %}
    where all_assignments.journey_id in (select journeys_to_recompute.journey_id from journeys_to_recompute)
    {%- endif %}
),

journey_attempts as (
    select
        attempts.*,
        assignments.journey_id,
        assignments.attempt_number,
        lag(attempts.channel) over (
            partition by assignments.journey_id
            order by assignments.attempt_number
        ) as previous_channel,
        max(assignments.attempt_number) over (partition by assignments.journey_id) as attempt_count
    from attempts
    inner join assignments
        on attempts.attempt_id = assignments.attempt_id
),

ai_types_in_order as (
    -- the ordered distinct AI types of a journey's attempts (by first occurrence)
    select
        journey_id,
        ai_interaction_type,
        min(attempt_number) as first_attempt_number
    from journey_attempts
    group by journey_id, ai_interaction_type
),

ai_paths as (
    select
        journey_id,
        {{ dbt.listagg('ai_interaction_type', "'>'", 'order by first_attempt_number') }} as ai_path
    from ai_types_in_order
    group by journey_id
),

rolled_up as (
    select
        journey_id,
        max(customer_id) as customer_id,
        bool_and(is_identified) as is_identified,
        max(intent) as intent,
        max(intent_group) as intent_group,
        bool_or(is_retention_risk) as is_retention_risk,
        min(started_at) as started_at,
        max(ended_at) as ended_at,
        count(*) as attempts,
        count(distinct channel) as channels_used,
        count(case when previous_channel is not null and channel <> previous_channel then 1 end)
            as channel_switches,
        max(case when attempt_number = 1 then attempt_id end) as first_attempt_id,
        max(case when attempt_number = attempt_count then attempt_id end) as last_attempt_id,
        max(case when attempt_number = 1 then channel end) as channel,
        max(case when attempt_number = 1 then ai_interaction_type end) as ai_interaction_type,
        max(case when attempt_number = 1 then attempt_date end) as journey_date,
        max(case when attempt_number = 1 then final_disposition end) as first_attempt_disposition,
        max(case when attempt_number = 1 then transfers end) as first_attempt_transfers,
        max(case when attempt_number = 1 then handled_contacts end) as first_attempt_handled_contacts,
        max(case when attempt_number = 1 then handle_seconds end) as first_attempt_handle_seconds,
        max(case when attempt_number = attempt_count then final_disposition end) as last_attempt_disposition,
        bool_or(
            ai_interaction_type in (
                '{{ ai_types | join("', '") }}'
            )
        )
            as any_ai_involved,
        cast(sum(transfers) as {{ dbt.type_bigint() }}) as transfers,
        cast(sum(ivr_steps) as {{ dbt.type_bigint() }}) as ivr_steps,
        {{ cx_sum('queue_wait_seconds') }} / 60.0 as queue_wait_minutes,
        {{ cx_sum('hold_seconds') }} / 60.0 as hold_minutes,
        cast(sum(failed_auths) as {{ dbt.type_bigint() }}) as failed_auths
    from journey_attempts
    group by journey_id
),

weights_pivoted as (
    select
        {%- for component in cx_effort_components() %}
            coalesce(max(case when component = '{{ component }}' then weight end), 0)
                as {{ component }}_weight,
            coalesce(max(case when component = '{{ component }}' then free_allowance end), 0)
                as {{ component }}_free_allowance,
        {%- endfor %}
        count(*) as components
    from effort_weights
),

flagged as (
    select
        rolled_up.*,
        rolled_up.attempts - 1 as extra_attempts,
        {{ dbt.date_trunc('month', 'rolled_up.journey_date') }} as journey_month,
        ai_paths.ai_path,
        {{ cx_is_matured('rolled_up.ended_at', 'as_of.as_of') }} as is_matured,
        rolled_up.attempts = 1 and rolled_up.first_attempt_disposition = 'resolved' as is_fcr,
        coalesce(rolled_up.last_attempt_disposition = 'resolved', false) as is_resolved,
        rolled_up.attempts >= 2 as is_repeat,
        rolled_up.channels_used >= 2 as is_channel_hopping
    from rolled_up
    inner join ai_paths
        on rolled_up.journey_id = ai_paths.journey_id
    cross join as_of
),

effort_scored as (
    select
        flagged.*,
        0
        {%- for component in cx_effort_components() %}
            + weights_pivoted.{{ component }}_weight
            * greatest(0, flagged.{{ component }} - weights_pivoted.{{ component }}_free_allowance)
        {%- endfor %}
            as effort_index
    from flagged
    cross join weights_pivoted
),

final as (
    select
        journey_id,
        customer_id,
        {{ cx_customer_key('customer_id') }} as customer_key,
        is_identified,
        intent,
        intent_group,
        is_retention_risk,
        started_at,
        ended_at,
        journey_date,
        cast(journey_month as date) as journey_month,
        first_attempt_id,
        last_attempt_id,
        channel,
        ai_interaction_type,
        ai_path,
        any_ai_involved,
        attempts,
        channels_used,
        channel_switches,
        is_matured,
        is_identified and not is_matured as is_pending,
        coalesce(is_fcr, false) as is_fcr,
        coalesce(is_fcr and first_attempt_transfers = 0, false) as is_one_touch,
        is_resolved,
        is_repeat,
        is_channel_hopping,
        first_attempt_disposition,
        last_attempt_disposition,
        first_attempt_transfers,
        first_attempt_handled_contacts,
        first_attempt_handle_seconds,
        extra_attempts,
        transfers,
        ivr_steps,
        queue_wait_minutes,
        hold_minutes,
        failed_auths,
        effort_index,
        effort_index >= {{ var('high_effort_threshold') }} as is_high_effort,
        {{ cx_effort_band('effort_index') }} as effort_band,
        {{ cx_effort_band_order('effort_index') }} as effort_band_order,
        {{ cx_batch_at() }} as _batch_at
    from effort_scored
)

select * from final
