{% macro cx_implied_events(relation, kinds) -%}
    {#- The body of a CTE: the events a platform's accepted records imply (SPEC §8.2, §8.4), one row per record and
        kind whose condition holds and whose time is known, in stg_platform__contact_events' input shape.
        `relation`: the CTE of accepted records (contact_id, _loaded_at, _load_date, _batch_at and what the kinds
        read); `kinds`: [(event_type, event_at expression, condition, attributes JSON expression or none)].
        event_id = <contact_id>:<event_type>. -#}
    {%- for kind, event_at, condition, attributes in kinds %}
        select
            {{ relation }}.contact_id || ':{{ kind }}' as event_id,
            {{ relation }}.contact_id,
            '{{ kind }}' as event_type,
            {{ event_at }} as event_at,
            {{ attributes if attributes else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as attributes,
            {{ relation }}._loaded_at,
            {{ relation }}._load_date,
            {{ relation }}._batch_at
        from {{ relation }}
        where {{ condition }} and {{ event_at }} is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
