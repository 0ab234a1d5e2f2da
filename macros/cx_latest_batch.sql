{% macro cx_batch_scoped() -%}
    {#- Whether data tests on the incremental models check only the latest build batch (cx_latest_batch): on an
        incremental build, unless var('cx_full_data_tests') = true (e.g. a weekly `dbt test` on a copy of the
        published file). A --full-refresh run rebuilds what it tests as one batch, so it checks every row. -#}
    {{ return(not var('cx_full_data_tests', false) and not flags.FULL_REFRESH) }}
{%- endmacro %}

{% macro cx_latest_batch(relation, batch_column='_batch_at') -%}
    {#- The predicate "this row belongs to the latest build batch of `relation`" (its batch_column = the column's
        max there), which scopes a data test on a nightly to the rows that build (re)wrote; earlier rows were
        checked by the build that wrote them. `true` (every row) when not cx_batch_scoped(). Used by the
        `where: __latest_batch__` placeholder (get_where_subquery) and by the singular tests that re-derive a
        whole table (tests/data_tests). -#}
    {%- if cx_batch_scoped() -%}
        {{ batch_column }} = (select max({{ batch_column }}) from {{ relation }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
