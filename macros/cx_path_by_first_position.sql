{% macro cx_path_by_first_position(labels, positions, separator) -%}
    {#- The labels that occur, joined by `separator` in the order of their first positions: labels[i] first occurs
        at positions[i] (a SQL expression; null when it does not occur). Positions must be distinct where not
        null, as a group's first attempt numbers of different values are. One row's expressions, no ordered
        aggregate: the label in slot k is the one with exactly k labels before it. -#}
    concat_ws(
        '{{ separator }}'
        {%- for slot in range(labels | length) %},
        case
            {%- for label in labels %}
                {%- set position = positions[loop.index0] %}
                when
                    {{ position }} is not null
                    and 0
                    {%- for other in positions if other != position %}
                        + case when {{ other }} < {{ position }} then 1 else 0 end
                    {%- endfor %}
                    = {{ slot }}
                    then '{{ label }}'
            {%- endfor %}
        end
        {%- endfor %}
    )
{%- endmacro %}
