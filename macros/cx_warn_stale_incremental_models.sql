{% macro cx_warn_stale_incremental_models(stale) -%}
    {#- A dbt warning naming the stale incremental models (cx_stale_incremental_models) and the fix. -#}
    {%- if stale -%}
        {%- set selection = stale | join('+ ') ~ '+' -%}
        {%- do exceptions.warn(
            'WARNING, STALE ROWS: incremental model(s) ' ~ stale | join(', ') ~ ' changed since their stored rows were built '
            ~ 'and this run builds them incrementally, so rows it does not rewrite keep the old definition. '
            ~ 'Rebuild them and what depends on them: dbt build --select ' ~ selection ~ ' --full-refresh '
            ~ '(the nightly does this by itself; docs/operations.md, "What a plain dbt build does").'
        ) -%}
    {%- endif -%}
{%- endmacro %}
