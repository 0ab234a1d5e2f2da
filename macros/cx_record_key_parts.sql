{% macro cx_record_key_parts(source_name, table_name) -%}
    {#- The pieces of a raw table's record key for dbt.concat: its primary key columns as text, joined with '|'
        (a null part as ''). Used for rows whose stored key columns are the typed, trimmed values (accepted and
        superseded rows: cx_stage_source keeps the key as delivered for quarantined rows only). -#}
    {%- set parts = [] -%}
    {%- for k in cx_source_contract(source_name, table_name).meta.primary_key -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append("coalesce(cast(" ~ adapter.quote(k) ~ " as " ~ dbt.type_string() ~ "), '')") -%}
    {%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}
