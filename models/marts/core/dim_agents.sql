with

agents as (
    select * from {{ ref('stg_platform__agents') }}
),

final as (
    -- agent_name (PII) stays in staging
    select
        agent_id,
        team,
        site,
        hired_at
    from agents
)

select * from final
