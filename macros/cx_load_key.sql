{% macro cx_load_key(table_column, date_column) -%}
    {#- One load of a raw table: its table name and load_date as one text key (a null load_date, a row whose
        _loaded_at was unusable, is a load of its own: ''). The key int_changed_loads reports and
        int_row_statuses_counted replaces by (cx_replace takes one key column). -#}
    {{ dbt.concat([
        table_column,
        "'|'",
        "coalesce(" ~ dbt.cast(date_column, dbt.type_string()) ~ ", '')",
    ]) }}
{%- endmacro %}
