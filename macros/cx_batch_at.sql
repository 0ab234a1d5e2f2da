{% macro cx_batch_at() -%}
    {#- This dbt invocation's start (UTC) as a TIMESTAMP literal: the _batch_at stamp of the rows an incremental
        model (re)writes in this run. Models downstream pick up the keys whose upstream rows carry a _batch_at later
        than the change models' watermark (cx_change_watermark). A technical marker only: no result depends on it. -#}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
