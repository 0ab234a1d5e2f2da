{% macro cx_batch_watermark() -%}
    {#- Scalar subquery: the latest _batch_at already in this incremental model (1900-01-01 when empty). Rows of
        upstream incremental models stamped later than it are the ones this run must process. -#}
    (select coalesce(max(_batch_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) from {{ this }})
{%- endmacro %}
