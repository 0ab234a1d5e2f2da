{% macro cx_parse_json_record(expression, schema) -%}
    {{ return(adapter.dispatch('cx_parse_json_record', 'cx_outcomes')(expression, schema)) }}
{%- endmacro %}

{% macro cx_json_schema_ddl(schema) -%}
    {#- A schema dict ({'Field': 'VARCHAR' | 'MAP(VARCHAR, VARCHAR)' | {nested}}) as Spark DDL -#}
    {%- set fields = [] -%}
    {%- for name, kind in schema.items() -%}
        {%- if kind is mapping -%}
            {%- do fields.append('`' ~ name ~ '`: ' ~ cx_json_schema_ddl(kind)) -%}
        {%- elif kind.startswith('MAP') -%}
            {%- do fields.append('`' ~ name ~ '`: map<string, string>') -%}
        {%- else -%}
            {%- do fields.append('`' ~ name ~ '`: string') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('struct<' ~ (fields | join(', ')) ~ '>') }}
{%- endmacro %}

{% macro default__cx_parse_json_record(expression, schema) -%}
    {#- Spark: from_json with a DDL schema. A line that is not a JSON object gives null: from_json alone would give
        a struct of nulls (Spark 3+ PERMISSIVE mode), so it only parses what cx_is_json_object accepts. -#}
    case
        when {{ cx_is_json_object(expression) }}
            then from_json({{ expression }}, '{{ cx_json_schema_ddl(schema) }}')
    end
{%- endmacro %}

{% macro duckdb__cx_parse_json_record(expression, schema) -%}
    {#- One parse of the text into the explicit struct; text that is not JSON (or does not fit the schema) gives
        null instead of stopping the query -#}
    try(from_json({{ expression }}, '{{ tojson(schema) }}'))
{%- endmacro %}
