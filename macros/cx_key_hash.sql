{% macro cx_key_hash(columns) -%}
    {{ return(adapter.dispatch('cx_key_hash', 'cx_outcomes')(columns)) }}
{%- endmacro %}

{% macro default__cx_key_hash(columns) -%}
    {{ dbt.hash(dbt.concat(columns | map('string') | list)) }}
{%- endmacro %}

{% macro duckdb__cx_key_hash(columns) -%}
    {#- A 64-bit hash of the key columns. Only ever a pre-filter: grouping 60 M 8-byte hashes needs a fraction of
        the memory and time of grouping 60 M text keys; two keys that collide are told apart afterwards by their
        real values, so a collision costs a few rows of extra work, never a wrong answer. -#}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__cx_key_hash(columns) -%}
    {#- Spark: xxhash64 of the key columns, a 64-bit pre-filter as DuckDB's hash(). -#}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
