{% macro cx_new_source_files(pattern, relation=none) -%}
    {#- The raw files matching `pattern` (a glob under var('raw_dir'), e.g. 'contacts/**/*.parquet') that this
        incremental base model has not read yet: their paths, sorted. Empty at parse time. -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(adapter.dispatch('cx_new_source_files', 'cx_outcomes')(pattern, relation)) }}
{%- endmacro %}

{% macro default__cx_new_source_files(pattern, relation) -%}
    {%- set query -%}
        select globbed.file
        from glob('{{ var('raw_dir') ~ '/' ~ pattern }}') as globbed
        where globbed.file not in (select distinct _source_file from {{ this }})
        order by globbed.file
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{% macro spark__cx_new_source_files(pattern, relation) -%}
    {#- Spark has no glob: the files are those of the raw relation scripts/spark_landing.py registered (its
        `filename` column, the path as DuckDB's glob gives it), which holds every file of the pattern. -#}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error("cx_new_source_files on Spark needs the raw relation of " ~ pattern) }}
    {%- endif -%}
    {%- set query -%}
        select distinct registered.filename
        from {{ relation }} as registered
        left anti join (select distinct _source_file from {{ this }}) as stored
            on registered.filename = stored._source_file
        order by registered.filename
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{% macro cx_raw_files_present(pattern, relation) -%}
    {#- Whether any raw file matches `pattern` (a glob under var('raw_dir')): a landing-zone table that an enabled
        platform adapter provides may be absent (SPEC §8.1). -#}
    {{ return(adapter.dispatch('cx_raw_files_present', 'cx_outcomes')(pattern, relation)) }}
{%- endmacro %}

{% macro default__cx_raw_files_present(pattern, relation) -%}
    {%- set globbed = run_query("select count(*) from glob('" ~ var('raw_dir') ~ '/' ~ pattern ~ "')") -%}
    {{ return(globbed.columns[0].values()[0] > 0) }}
{%- endmacro %}

{% macro spark__cx_raw_files_present(pattern, relation) -%}
    {#- Spark: scripts/spark_landing.py registers such a table only when it has files -#}
    {{ return(adapter.get_relation(database=relation.database, schema=relation.schema,
        identifier=relation.identifier) is not none) }}
{%- endmacro %}
