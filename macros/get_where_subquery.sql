{% macro get_where_subquery(relation) -%}
    {#- Overrides dbt's macro of the same name (the `where` config of data tests) to add one placeholder:
        `__latest_batch__` stands for "the rows of the latest build batch" (_batch_at = its max in the tested
        relation). A row-level test (not_null, accepted_values, a child's relationship) on an incremental model
        then checks, on a nightly, the rows that build (re)wrote; earlier rows were checked by the build that wrote
        them, and a full refresh writes one batch, so it checks every row. var('cx_full_data_tests') = true turns
        the placeholder into `true` (every row): macros/cx_latest_batch.sql. -#}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- if '__latest_batch__' in where -%}
            {%- set where = where | replace('__latest_batch__', cx_latest_batch(relation)) -%}
        {%- endif -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
