{% macro cx_stale_incremental_models(unique_ids, stored) -%}
    {#- Of `unique_ids`, the incremental models this run builds incrementally although their definition differs
        from the one their stored rows were computed under (`stored`, cx_stored_incremental_definitions): their
        old rows stay as they are. A full refresh (flag or the model's full_refresh config) rebuilds them. -#}
    {%- set stale = [] -%}
    {%- for unique_id in unique_ids -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node and node.resource_type == 'model' and node.config.materialized == 'incremental' -%}
            {%- set full_refresh = node.config.full_refresh if node.config.full_refresh is not none else flags.FULL_REFRESH -%}
            {%- if not full_refresh and unique_id in stored and stored[unique_id] != cx_incremental_definition(node) -%}
                {%- do stale.append(node.name) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(stale | sort) -}}
{%- endmacro %}
