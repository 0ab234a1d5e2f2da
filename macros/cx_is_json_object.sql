{% macro cx_is_json_object(expression) -%}
    {{ return(adapter.dispatch('cx_is_json_object', 'cx_outcomes')(expression)) }}
{%- endmacro %}

{% macro default__cx_is_json_object(expression) -%}
    {#- json_type must only see text that is valid JSON: a database may evaluate both sides of an `and`. -#}
    case when json_valid({{ expression }}) then json_type({{ expression }}) = 'OBJECT' else false end
{%- endmacro %}

{% macro duckdb__cx_is_json_object(expression) -%}
    case when json_valid({{ expression }}) then json_type({{ expression }}) = 'OBJECT' else false end
{%- endmacro %}

{% macro spark__cx_is_json_object(expression) -%}
    {#- Spark: json_object_keys gives null for text that is not JSON, a JSON array or a scalar (trailing text after
        a complete object is ignored, where DuckDB's json_valid rejects it). -#}
    (json_object_keys({{ expression }}) is not null)
{%- endmacro %}
