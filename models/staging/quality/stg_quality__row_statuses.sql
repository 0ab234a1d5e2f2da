{#- Every raw row of every table with its SPEC §6 status; the basis of quarantine and mart_data_quality.
    A view: it only unions the base tables, which are already materialised (incrementally for the big ones), so
    a nightly build does not copy every raw row once more. _batch_at is the base row's stamp (the run that last
    (re)wrote it, int_changed_loads); null for the platform objects' statuses views, recomputed by every build. -#}
{{ config(materialized='view') }}
{#- the SPEC §2 tables a platform adapter feeds (their base models carry _source_table and _excluded_reason) -#}
{%- set adapted_tables = [] -%}
{#- the platform objects that feed no SPEC §2 table, each accounted for by its own statuses model -#}
{%- set statuses_models = [] -%}
{%- for adapter_name, adapter_spec in cx_platform_adapters().items() -%}
    {%- for object_spec in adapter_spec.objects.values() -%}
        {%- if object_spec.maps_to -%}
            {%- do adapted_tables.append(object_spec.maps_to) -%}
        {%- elif not execute or adapter_name in cx_enabled_sources() -%}
            {%- do statuses_models.append(object_spec.statuses_model) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endfor %}
with

{% for source_name, table_name in cx_raw_tables() %}
    {{ table_name }} as (
        select
            {%- if table_name in adapted_tables %}
            -- a platform adapter's rows carry their own table name (SPEC §8.1)
                _source_table as table_name,
            {%- else %}
                '{{ table_name }}' as table_name,
            {%- endif %}
            -- quarantined rows carry the key as delivered; a valid row's key is its typed key columns
            coalesce(
                _record_key,
                {{ dbt.concat(cx_record_key_parts(source_name, table_name)) }}
            ) as record_key,
            _load_date as load_date,
            _loaded_at as loaded_at,
            _status as status,
            {%- if table_name in adapted_tables %}
                coalesce(_quarantine_reason, _excluded_reason) as reason,
            {%- else %}
                _quarantine_reason as reason,
            {%- endif %}
            _source_file as source_file,
            _file_row_number as file_row_number,
            _raw_row as raw_row,
            _batch_at
        from {{ ref('base_' ~ source_name ~ '__' ~ table_name) }}
    ),

{% endfor %}
unioned as (
    {%- for source_name, table_name in cx_raw_tables() %}
        select * from {{ table_name }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
    {%- for model_name in statuses_models %}
        union all
        select
            table_name,
            record_key,
            load_date,
            loaded_at,
            status,
            reason,
            source_file,
            file_row_number,
            raw_row,
            -- recomputed from its parents' statuses by every build: no stamp of its own
            cast(null as {{ dbt.type_timestamp() }}) as _batch_at
        from {{ ref(model_name) }}
    {%- endfor %}
)

select * from unioned
