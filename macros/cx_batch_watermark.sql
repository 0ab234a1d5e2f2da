{% macro cx_batch_watermark() -%}
    {#- The latest _batch_at already in this incremental model (1900-01-01 when empty). Rows of upstream
        incremental models stamped later than it are the ones this run must process.
        At run time it is looked up when the model is compiled (each use runs one `max` query, 10-20 ms at
        scale L, all before the model's hooks run, so all see the same value) and rendered as a timestamp
        literal: a constant lets the database skip every row group whose _batch_at statistics are older, and
        drop the scan altogether when nothing is newer. A scalar subquery is opaque to the planner
        (DuckDB then scanned and hashed the whole 7 M-row history of int_attempts_chained and
        base_platform__contacts for a night with nothing new). At parse time, and in unit tests (whose `this` is
        a fixture, not a table), it stays the equivalent scalar subquery. -#}
    {%- set fallback = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set found = run_query(
            "select " ~ dbt.cast("max(_batch_at)", dbt.type_string()) ~ " as watermark from " ~ this
        ) -%}
        {%- set watermark = found.columns[0].values()[0] -%}
        {%- if watermark is none -%}
            {{ fallback }}
        {%- else -%}
            cast('{{ watermark }}' as {{ dbt.type_timestamp() }})
        {%- endif -%}
    {%- else -%}
        (select coalesce(max(_batch_at), {{ fallback }}) from {{ this }})
    {%- endif -%}
{%- endmacro %}
