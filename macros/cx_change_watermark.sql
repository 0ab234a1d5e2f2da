{% macro cx_change_watermark() -%}
    {#- The watermark of a change-tracking model (models/intermediate/changes): every upstream row stamped later
        (_batch_at) is a change it reports. It is the oldest "latest _batch_at" among the incremental models that
        consume this change set — directly, or through the change models built from it — so a model left behind
        by a failed or partial run (its own latest batch older) still gets every change since it last ran; the
        others get a superset, which replacing by key makes harmless.
        Looked up when the model is compiled (one query) and rendered as a timestamp literal, so the database
        prunes every row group stamped earlier. A full refresh, or a first build with no consumer stored yet,
        reports nothing (no consumer reads the set then): 9999-12-31. At parse time and in unit tests it is
        1900-01-01 (every fixture row is a change). -#}
    {%- set everything = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set nothing = "cast('9999-12-31' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(everything) }}
    {%- endif -%}
    {%- if flags.FULL_REFRESH -%}
        {{ return(nothing) }}
    {%- endif -%}
    {%- set consumers = [] -%}
    {%- set change_models = [model.unique_id] -%}
    {#- breadth-first over change models: Jinja's for sees the items appended while it runs -#}
    {%- for change_model in change_models -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and change_model in node.depends_on.nodes -%}
            {%- if 'changes' in node.tags and node.unique_id not in change_models -%}
                {%- do change_models.append(node.unique_id) -%}
            {%- elif node.config.materialized == 'incremental' -%}
                {%- set relation = adapter.get_relation(
                    database=node.database, schema=node.schema, identifier=node.alias
                ) -%}
                {#- a stored table without _batch_at predates its model's incremental form (the night that
                    changed it rebuilds it from scratch, state:modified+): it consumes no change set yet -#}
                {%- if relation is not none and relation not in consumers
                    and '_batch_at' in (adapter.get_columns_in_relation(relation)
                        | map(attribute='name') | map('lower') | list) -%}
                    {%- do consumers.append(relation) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if not consumers -%}
        {{ return(nothing) }}
    {%- endif -%}
    {%- set latest_batches = [] -%}
    {%- for relation in consumers -%}
        {%- do latest_batches.append(
            "select coalesce(max(_batch_at), " ~ everything ~ ") as latest_batch from " ~ relation
        ) -%}
    {%- endfor -%}
    {%- set found = run_query(
        "select " ~ dbt.cast("min(latest_batch)", dbt.type_string()) ~ " from ("
        ~ latest_batches | join(" union all ") ~ ") as consumers"
    ) -%}
    {{ return("cast('" ~ found.columns[0].values()[0] ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}
