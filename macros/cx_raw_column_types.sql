{% macro cx_raw_column_types(raw_relation, table_name, expected_columns) -%}
    {{ return(adapter.dispatch('cx_raw_column_types', 'cx_outcomes')(raw_relation, table_name, expected_columns)) }}
{%- endmacro %}

{% macro default__cx_raw_column_types(raw_relation, table_name, expected_columns) -%}
    {#- Column name → type of a raw table as DuckDB reads its files (union by name), at run time.
        Stops the build with a message naming the table, the column and where it looked when a column of the
        SPEC §2 contract is missing from every file. Returns {} at parse time, for the sqlfluff `lint` target
        (no data needed to lint) and inside unit tests (whose fixtures are plain CTEs; every column is then
        treated as delivered text). -#}
    {%- set rendered = raw_relation | string -%}
    {%- if not execute or '__dbt__cte__' in rendered or target.name == 'lint' -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set described = run_query('describe select * from ' ~ rendered) -%}
    {%- set types = {} -%}
    {%- for row in described.rows -%}
        {%- do types.update({row[0] | lower: row[1] | upper}) -%}
    {%- endfor -%}
    {%- for column in expected_columns -%}
        {%- if column | lower not in types -%}
            {{ exceptions.raise_compiler_error(
                "raw table '" ~ table_name ~ "' is missing required column '" ~ column ~ "' (looked in "
                ~ rendered ~ "). Fix the export, or add the column to the files; see SPEC §2.") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}

{% macro spark__cx_raw_column_types(raw_relation, table_name, expected_columns) -%}
    {#- Spark: the columns of the table scripts/spark_landing.py registered for the raw table (every column as
        text, plus filename, file_row_number and load_date). A missing contract column stops the build with the
        same message as on DuckDB, naming the landing-zone path the files came from. -#}
    {%- set rendered = raw_relation | string -%}
    {%- if not execute or '__dbt__cte__' in rendered or target.name == 'lint' -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set described = run_query('describe table ' ~ rendered) -%}
    {%- set types = {} -%}
    {%- for row in described.rows -%}
        {%- if row[0] and not row[0].startswith('#') and row[0] | lower not in types -%}
            {%- do types.update({row[0] | lower: row[1] | upper}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in expected_columns -%}
        {%- if column | lower not in types -%}
            {{ exceptions.raise_compiler_error(
                "raw table '" ~ table_name ~ "' is missing required column '" ~ column ~ "' (looked in "
                ~ var('raw_dir') ~ '/' ~ table_name ~ "/**/*.parquet, registered for Spark as " ~ rendered
                ~ "). Fix the export, or add the column to the files; see SPEC §2.") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}
