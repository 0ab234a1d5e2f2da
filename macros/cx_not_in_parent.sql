{% macro cx_not_in_parent(expression, parent_column, parent_relation) -%}
    {#- The orphan check of cx_stage_source: `expression` is not among the parent relation's `parent_column`
        values (true / false; null when `expression` is null, as `not in` gives). -#}
    {{ return(adapter.dispatch('cx_not_in_parent', 'cx_outcomes')(expression, parent_column, parent_relation)) }}
{%- endmacro %}

{% macro default__cx_not_in_parent(expression, parent_column, parent_relation) -%}
    {{ expression }} not in (select {{ parent_column }} from {{ parent_relation }})
{%- endmacro %}

{% macro spark__cx_not_in_parent(expression, parent_column, parent_relation) -%}
    {#- Spark: a `not in` subquery inside an expression (the checks' case) becomes a null-aware existence join,
        which Spark runs as a nested loop over every child × parent pair (scale S: the contact events' orphan
        check ran over 10 minutes). `not exists` on equality is a hash join. The two agree whenever the parent
        column holds no null (the parents are accepted rows: their key is never null); a null `expression` is
        no orphan in either (null, not true). -#}
    case
        when {{ expression }} is not null
            then not exists (
                select 1 from {{ parent_relation }} as parent_rows
                where parent_rows.{{ parent_column }} = {{ expression }}
            )
    end
{%- endmacro %}
