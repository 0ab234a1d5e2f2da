{% macro cx_cte_materialized() -%}
    {{ return(adapter.dispatch('cx_cte_materialized', 'cx_outcomes')()) }}
{%- endmacro %}

{% macro default__cx_cte_materialized() -%}
{%- endmacro %}

{% macro duckdb__cx_cte_materialized() -%}
    {#- `with x as materialized (...)`: compute a CTE that is read several times once, instead of inlining it
        into each reference (DuckDB may inline, recomputing e.g. every timestamp parse of a raw table). -#}
    materialized
{%- endmacro %}
