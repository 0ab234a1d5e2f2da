{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {#- Overrides dbt-spark's listagg (dbt.listagg on Spark), which ignores order_by_clause and so gives the
        values in no stated order: Spark 4's listagg(...) within group (order by ...) keeps it, as DuckDB's
        string_agg(... order by ...) does. -#}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg: limit_num is not implemented on Spark (macros/spark__listagg.sql)") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
