with

base as (
    select * from {{ ref('base_platform__agents') }}
),

accepted as (
    select
        agent_id,
        -- SPEC §7: an agent's name is stored only when the var expose_agent_names is true
        {% if var('expose_agent_names', false) -%}
            agent_name,
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as agent_name,
        {%- endif %}
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
