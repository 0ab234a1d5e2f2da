{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {#- Overrides dbt-spark's check of an incremental model's strategy (its incremental materialization calls
        it first). The base models use delete+insert and the journey models the project's cx_replace
        (macros/get_incremental_cx_replace_sql.sql); dbt-spark has neither: the project's
        dbt_spark_get_incremental_sql runs them on Parquet tables by rewriting the table
        (cx_spark_rewrite_incremental, docs/scale-out.md). Every other strategy goes to dbt-spark's own check. -#}
    {%- if raw_strategy in ('delete+insert', 'cx_replace') -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {{ return(dbt_spark.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{%- endmacro %}
