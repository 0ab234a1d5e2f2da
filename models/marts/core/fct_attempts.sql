{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='attempt_id',
    on_schema_change='fail',
    replace_changed={'attempt_id': 'int_changed_attempts'},
) }}
{#- Incremental: a run rewrites the attempts of the journeys int_changed_journeys holds (every attempt whose
    journey assignment was recomputed, which includes every changed chain); cx_replace first deletes the changed
    chains (int_changed_attempts), so an attempt that no longer exists disappears. -#}
with

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

all_assignments as (
    select * from {{ ref('int_journey_attempts_assigned') }}
),

changed_attempts as (  -- noqa: ST03
    select * from {{ ref('int_changed_attempts') }}
),

changed_journeys as (  -- noqa: ST03
    select * from {{ ref('int_changed_journeys') }}
),

assignments as (
    select all_assignments.*
    from all_assignments
    {%- if is_incremental() %}
    where
        all_assignments.journey_id in (select changed_journeys.journey_id from changed_journeys)
        or all_assignments.attempt_id in (select changed_attempts.attempt_id from changed_attempts)
    {%- endif %}
),

final as (
    select
        attempts.attempt_id,
        assignments.journey_id,
        cast(assignments.attempt_number as {{ dbt.type_bigint() }}) as attempt_number,
        {{ cx_customer_key('attempts.customer_id') }} as customer_key,
        attempts.is_identified,
        attempts.intent,
        attempts.intent_group,
        attempts.is_retention_risk,
        attempts.channel,
        attempts.head_contact_id,
        attempts.started_at,
        attempts.ended_at,
        attempts.attempt_date,
        attempts.contacts,
        attempts.final_disposition,
        attempts.transfers,
        attempts.has_bot,
        attempts.has_bot_handoff,
        attempts.is_agent_connected,
        attempts.has_ai_assist,
        attempts.ai_interaction_type,
        attempts.ivr_steps,
        attempts.queue_wait_seconds,
        attempts.hold_seconds,
        attempts.handled_contacts,
        attempts.handle_seconds,
        attempts.auth_attempts,
        attempts.failed_auths,
        attempts.sensitive_actions,
        attempts.max_synthetic_voice_score,
        attempts.source_system,
        {{ cx_batch_at() }} as _batch_at
    from attempts
    inner join assignments
        on attempts.attempt_id = assignments.attempt_id
)

select * from final
