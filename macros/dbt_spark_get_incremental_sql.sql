{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) -%}
    {#- Overrides dbt-spark's choice of an incremental run's SQL (its incremental materialization calls it with the
        run's new rows in the temporary view `source`). The project's two strategies, delete+insert (the base
        models) and cx_replace (macros/get_incremental_cx_replace_sql.sql), delete stored rows, which a Parquet
        table cannot: cx_spark_rewrite_incremental rewrites the table instead. Every other strategy is
        dbt-spark's. -#}
    {%- if strategy in ('delete+insert', 'cx_replace') -%}
        {{ return(cx_spark_rewrite_incremental(strategy, source, target, unique_key)) }}
    {%- endif -%}
    {{ return(dbt_spark.dbt_spark_get_incremental_sql(
        strategy, source, target, existing, unique_key, incremental_predicates)) }}
{%- endmacro %}

{% macro cx_spark_rewrite_incremental(strategy, new_rows, target, unique_key) -%}
    {#- delete+insert / cx_replace on a Parquet table (no DELETE): the table's next contents are its stored rows
        that the strategy would keep, plus the new rows, written to a staging table and copied back with
        `insert overwrite` (Spark cannot overwrite a table that the same statement reads). Kept: the stored rows
        whose unique_key (every column of a list) is not among the new rows', and for cx_replace whose
        `replace_changed` column is not in its change models (models/intermediate/changes); a null never
        matches, so a row with a null key is kept, as `delete … where key in (…)` keeps it. Returns the last
        statement (dropping the staging table); the others run here. Every night rewrites the whole table:
        the cost grows with the table, not the night (Delta Lake's MERGE / DELETE would not). -#}
    {%- set keys = [unique_key] if unique_key is string else (unique_key or []) -%}
    {%- if not keys -%}
        {{ exceptions.raise_compiler_error(strategy ~ " on Spark needs a unique_key in " ~ model.name) }}
    {%- endif -%}
    {%- if strategy == 'cx_replace' and keys | length != 1 -%}
        {{ exceptions.raise_compiler_error("cx_replace needs one unique_key column in " ~ model.name ~ ", got "
            ~ unique_key) }}
    {%- endif -%}
    {%- set replaced_by = [(new_rows, keys)] -%}
    {%- if strategy == 'cx_replace' -%}
        {%- for column, change_models in config.get('replace_changed', {}).items() -%}
            {%- for change_model in ([change_models] if change_models is string else change_models) -%}
                {%- do replaced_by.append((ref(change_model), [column])) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | list -%}
    {%- set staging = target.incorporate(path={'identifier': target.identifier ~ '__cx_next'}) -%}
    {%- set next_rows -%}
        select {{ columns | join(', ') }}
        from {{ target }} as stored
        where
            {%- for relation, key_columns in replaced_by %}
            {{ 'and ' if not loop.first }}not exists (
                select 1 from {{ relation }} as replaced
                where {% for k in key_columns %}{{ 'and ' if not loop.first }}replaced.{{ k }} = stored.{{ k }} {% endfor %}
            )
            {%- endfor %}
        union all
        select {{ columns | join(', ') }}
        from {{ new_rows }}
    {%- endset -%}
    {%- do run_query('drop table if exists ' ~ staging) -%}
    {%- do run_query('create table ' ~ staging ~ ' using parquet as ' ~ next_rows) -%}
    {%- do run_query('insert overwrite table ' ~ target ~ ' select ' ~ (columns | join(', ')) ~ ' from ' ~ staging) -%}
    {{ return('drop table if exists ' ~ staging) }}
{%- endmacro %}
