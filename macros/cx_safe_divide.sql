{% macro cx_safe_divide(numerator, denominator) -%}
    {#- numerator / denominator as a double; null when the denominator is 0 or null (SPEC §5 naming rule). -#}
    case
        when coalesce({{ denominator }}, 0) = 0 then null
        else cast({{ numerator }} as double) / {{ denominator }}
    end
{%- endmacro %}
