{% macro cx_test_batch_scoped(model, batch_column) -%}
    {#- Whether a key test of `model` (cx_unique_large, cx_unique_combination) checks only the keys of its latest
        build batch, against every row: `batch_column` given, cx_batch_scoped(), and the table holds more than one
        batch. A table of one batch (a full refresh's) is checked whole, by the cheaper unscoped SQL. Runs one query
        at execution time; false at parse time. -#}
    {%- if batch_column is none or not execute or not cx_batch_scoped() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set batches = run_query(
        'select count(*) from (select min(' ~ batch_column ~ ') as first_batch, max(' ~ batch_column
        ~ ') as last_batch from ' ~ model ~ ') as bounds where first_batch < last_batch'
    ) -%}
    {{ return(batches.columns[0].values()[0] > 0) }}
{%- endmacro %}
