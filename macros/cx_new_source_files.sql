{% macro cx_new_source_files(pattern) -%}
    {#- The raw files matching `pattern` (a glob under var('raw_dir'), e.g. 'contacts/**/*.parquet') that this
        incremental base model has not read yet: their paths, sorted. Empty at parse time. -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select globbed.file
        from glob('{{ var('raw_dir') ~ '/' ~ pattern }}') as globbed
        where globbed.file not in (select distinct _source_file from {{ this }})
        order by globbed.file
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}
