{% macro cx_date_spine(bounds_relation) -%}
    {{ return(adapter.dispatch('cx_date_spine', 'cx_outcomes')(bounds_relation)) }}
{%- endmacro %}

{% macro default__cx_date_spine(bounds_relation) -%}
    {#- One row per day (column date_day) from first_date to last_date of a one-row relation. -#}
    select cast({{ dbt.dateadd('day', 'numbers.n', 'bounds.first_date') }} as date) as date_day
    from {{ bounds_relation }} as bounds
    cross join ({{ dbt.generate_series(4000) }}) as numbers (n)
    where {{ dbt.dateadd('day', 'numbers.n', 'bounds.first_date') }} <= bounds.last_date
{%- endmacro %}

{% macro duckdb__cx_date_spine(bounds_relation) -%}
    select cast(unnest(generate_series(bounds.first_date, bounds.last_date, interval 1 day)) as date) as date_day
    from {{ bounds_relation }} as bounds
{%- endmacro %}

{% macro spark__cx_date_spine(bounds_relation) -%}
    {#- Spark: sequence() of the days, exploded. -#}
    select explode(sequence(bounds.first_date, bounds.last_date, interval 1 day)) as date_day
    from {{ bounds_relation }} as bounds
{%- endmacro %}
