with

base as (
    select * from {{ ref('base_platform__agents') }}
),

accepted as (
    select
        agent_id,
        agent_name,
        team,
        site,
        hired_at,
        _loaded_at,
        _load_date
    from base
    where _status = 'accepted'
),

final as (
    select * from accepted
)

select * from final
