{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {#- Overrides dbt-spark's check of an incremental model's strategy (its incremental materialization calls
        it first). The base models use delete+insert and the journey models the project's cx_replace
        (macros/get_incremental_cx_replace_sql.sql); dbt-spark has neither (parquet tables cannot delete rows).
        On Spark such a model builds from scratch when the run is a full refresh or the table does not exist yet,
        exactly as a table; an incremental run stops with a message saying so (docs/scale-out.md: the Spark target
        builds with --full-refresh). Every other strategy goes to dbt-spark's own check. -#}
    {%- if raw_strategy in ('delete+insert', 'cx_replace') -%}
        {%- set existing = load_relation(this) -%}
        {%- if existing is not none and not existing.is_view and not should_full_refresh() -%}
            {{ exceptions.raise_compiler_error(
                "model '" ~ this.identifier ~ "' (incremental_strategy '" ~ raw_strategy ~ "') cannot be built "
                ~ "incrementally on Spark with file_format '" ~ file_format ~ "': build the Spark target with "
                ~ "--full-refresh (docs/scale-out.md)") }}
        {%- endif -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {{ return(dbt_spark.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{%- endmacro %}
