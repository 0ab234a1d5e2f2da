{% macro cx_sides_joined(sides, keys=['contact_date', 'channel', 'queue']) -%}
    {#- The body of a CTE for a reconciliation mart (SPEC §8.1: a platform's numbers beside ours): every key of any
        side, with every side's counts on it, 0 where a side has nothing for the key. `sides`: {CTE name: [the
        count columns it aggregates per key]}; `keys`: the grain's columns, which every side CTE carries. -#}
    select
        {%- for key in keys %}
        side_keys.{{ key }},
        {%- endfor %}
        {%- for side, counts in sides.items() %}
            {%- set outer_loop = loop %}
            {%- for count in counts %}
        coalesce({{ side }}.{{ count }}, 0) as {{ count }}{{ ',' if not (outer_loop.last and loop.last) }}
            {%- endfor %}
        {%- endfor %}
    from (
        {%- for side in sides %}
        select {{ keys | join(', ') }} from {{ side }}
        {%- if not loop.last %}
        union
        {%- endif %}
        {%- endfor %}
    ) as side_keys
    {%- for side in sides %}
    left join {{ side }}
        on
            {%- for key in keys %}
            {{ 'and ' if not loop.first }}side_keys.{{ key }} = {{ side }}.{{ key }}
            {%- endfor %}
    {%- endfor %}
{%- endmacro %}
