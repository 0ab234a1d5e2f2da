{% macro cx_cte_inlined() -%}
    {{ return(adapter.dispatch('cx_cte_inlined', 'cx_outcomes')()) }}
{%- endmacro %}

{% macro default__cx_cte_inlined() -%}
{%- endmacro %}

{% macro duckdb__cx_cte_inlined() -%}
    {#- `with x as not materialized (...)`: read the relation again at each reference. DuckDB materializes a CTE
        referenced more than once: for an import CTE of a stored table that is a copy of every row (each column
        any reference uses) before the first read, even when every reference keeps a few rows of it. -#}
    not materialized
{%- endmacro %}
