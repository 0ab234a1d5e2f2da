{% macro cx_salted_hash(kind_literal, normalised) -%}
    {#- hash('<salt>|<kind>|<normalised value>'), null when the normalised value is null -#}
    case
        when {{ normalised }} is not null
            then {{ dbt.hash(dbt.concat(["'" ~ (var('customer_key_salt') | replace("'", "''")) ~ "|'", kind_literal, "'|'", normalised])) }}
    end
{%- endmacro %}
