{% test cx_unique_combination(model, columns) %}
{#- Fails on every combination of `columns` that occurs more than once (nulls compare equal). -#}
with

grouped as (
    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
)

select * from grouped
where occurrences > 1
{% endtest %}
