{% macro cx_stored_relation(model_name) -%}
    {#- The table another model of this project stored in an earlier run, for a change model that must read its rows
        before that model replaces them in this run (a ref would be a cycle: the model refs the change model, which
        is how dbt knows to build the change model first). None at parse time, in unit tests, on a full refresh
        (nothing is replaced), and when the model has not been stored yet. -#}
    {%- if not execute or model.resource_type == 'unit_test' or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = graph.nodes['model.' ~ project_name ~ '.' ~ model_name] -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}
