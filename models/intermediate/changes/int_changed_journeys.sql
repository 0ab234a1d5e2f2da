{#- The journeys an incremental run must recompute (and delete first): the journey of every attempt
    int_attempts_chained rewrote after the watermark (it re-assigns every attempt of a (customer, intent) pair with
    a changed attempt, so these are whole journeys), and every journey id that may
    have disappeared — a journey id is its first attempt's id, so an id that is no longer a journey is a
    rewritten attempt or a changed attempt that no longer exists (int_changed_attempts). -#}
{%- set watermark = cx_change_watermark() %}
with

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

changed_attempts as (
    select * from {{ ref('int_changed_attempts') }}
    where changed_at > {{ watermark }}
),

rewritten_attempts as (
    select
        journey_id,
        attempt_id,
        _batch_at as changed_at
    from attempts
    where _batch_at > {{ watermark }}
),

changes as (
    select
        journey_id,
        changed_at
    from rewritten_attempts
    union all
    select
        attempt_id as journey_id,
        changed_at
    from rewritten_attempts
    union all
    select
        attempt_id as journey_id,
        changed_at
    from changed_attempts
),

final as (
    select
        journey_id,
        max(changed_at) as changed_at
    from changes
    group by journey_id
)

select * from final
