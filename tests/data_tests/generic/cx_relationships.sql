{% test cx_relationships(model, column_name, to, field) %}
{#- dbt's `relationships` for large parents: fails on every non-null value of `column_name` that is not a value
    of `field` in `to`, like `relationships`, but its lookup holds only the parent values the child names (a semi
    join, which the engine builds from the child's side), not every parent value: a night's child rows
    (`where: __latest_batch__`, a few thousand) against the 5.6 M journeys of scale L took 0.8-1.1 s with dbt's
    test, most of it a hash table of every journey id. -#}
with

child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),

parent as (
    select {{ field }} as to_field
    from {{ to }}
    where {{ field }} in (select child.from_field from child)
)

select child.from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null
{% endtest %}
