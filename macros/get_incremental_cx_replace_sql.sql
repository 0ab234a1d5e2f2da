{% macro get_incremental_cx_replace_sql(arg_dict) -%}
    {#- The incremental strategy `cx_replace` (dbt calls get_incremental_<strategy>_sql): delete the stored rows
        the run recomputes — those whose unique_key is in the new rows, and those whose column is in a change set
        of models/intermediate/changes, named by the model's `replace_changed` config ({column: change model or
        list of them}) — then insert the new rows. Unlike delete+insert, a key that no longer exists upstream
        (a quarantined contact, a chain that lost its contacts, a journey merged into another) disappears as in a
        full refresh. The change models are parents of the model (its SQL reads them), so ref() resolves. -#}
    {{ return(adapter.dispatch('cx_replace_sql', 'cx_outcomes')(arg_dict)) }}
{%- endmacro %}

{% macro default__cx_replace_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set new_rows = arg_dict['temp_relation'] -%}
    {%- set unique_key = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- if unique_key is not string -%}
        {{ exceptions.raise_compiler_error(
            "cx_replace needs one unique_key column in " ~ model.name ~ ", got " ~ unique_key
        ) }}
    {%- endif -%}
    delete from {{ target }}
    where {{ unique_key }} in (select {{ unique_key }} from {{ new_rows }});
    {%- for column, change_models in config.get('replace_changed', {}).items() %}
        {%- for change_model in ([change_models] if change_models is string else change_models) %}
    delete from {{ target }}
    where {{ column }} in (select {{ column }} from {{ ref(change_model) }});
        {%- endfor %}
    {%- endfor %}
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ new_rows }}
{%- endmacro %}
