{% macro cx_new_source_files(table_name) -%}
    {#- The raw Parquet files of `table_name` (under var('raw_dir'), the pattern of the sources' external_location)
        that this incremental base model has not read yet: their paths, sorted. Empty at parse time. -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set pattern = var('raw_dir') ~ '/' ~ table_name ~ '/**/*.parquet' -%}
    {%- set query -%}
        select globbed.file
        from glob('{{ pattern }}') as globbed
        where globbed.file not in (select distinct _source_file from {{ this }})
        order by globbed.file
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}
