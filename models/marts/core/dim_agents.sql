with

agents as (
    select * from {{ ref('stg_platform__agents') }}
),

final as (
    -- agent_name is null unless the var expose_agent_names is true (SPEC §7)
    select
        agent_id,
        agent_name,
        team,
        site,
        hired_at
    from agents
)

select * from final
