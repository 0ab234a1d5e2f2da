{#- The stored attempts an incremental run of int_attempts_chained replaces: the row of every attempt of
    int_changed_attempts as the last run stored it, read before int_attempts_chained rewrites or deletes it
    (int_attempts_chained refs this model, so dbt builds this one first; the stored table is read by name,
    cx_stored_relation, as a ref would be a cycle). The old side of what a night changes, which no table keeps after
    the run: int_attempts_chained re-assigns the journeys of each old (customer, intent) pair, and
    int_changed_preference_customers recomputes the preferred channel of a customer an attempt moved away from.
    Empty on a full refresh and on a first build (nothing stored, nothing replaced). -#}
{%- set stored = cx_stored_relation('int_attempts_chained') %}
with

changed_attempts as (
    select * from {{ ref('int_changed_attempts') }}
),

stored_attempts as (
    {%- if stored is not none %}
        select * from {{ stored }}
    {%- else %}
        -- nothing stored yet (a first build), or nothing replaced (a full refresh): no rows, typed as stored
        select
            attempt_id,
            cast(null as {{ dbt.type_string() }}) as customer_id,
            cast(null as {{ dbt.type_string() }}) as intent
        from changed_attempts
        where 1 = 0
    {%- endif %}
),

final as (
    select
        stored_attempts.attempt_id,
        stored_attempts.customer_id,
        stored_attempts.intent,
        changed_attempts.changed_at
    from stored_attempts
    inner join changed_attempts
        on stored_attempts.attempt_id = changed_attempts.attempt_id
)

select * from final
