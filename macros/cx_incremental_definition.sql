{% macro cx_incremental_definition(node) -%}
    {#- What an incremental model's stored rows were computed by, as one digest: the checksum of its file and the
        configs that decide how it writes (graph node, no compiled SQL: that holds tonight's watermark and the salt).
        Macros and var values it uses are not part of it (dbt has no macro bodies in `graph`): the nightly's state
        comparison sees those (docs/operations.md, "What a plain dbt build does"). -#}
    {%- set keys = [
        'materialized', 'unique_key', 'incremental_strategy', 'replace_changed', 'on_schema_change', 'pre-hook', 'post-hook'
    ] -%}
    {%- set config = {} -%}
    {%- for key in keys -%}
        {%- do config.update({key: node.config.get(key)}) -%}
    {%- endfor -%}
    {{- return(local_md5(node.checksum.checksum ~ '|' ~ tojson(config, sort_keys=true))) -}}
{%- endmacro %}
