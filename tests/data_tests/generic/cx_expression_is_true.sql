{% test cx_expression_is_true(model, expression, where=none) %}
{#- Fails on every row where `expression` is not true (null counts as a failure). -#}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{%- if where %}
    and ({{ where }})
{%- endif %}
{% endtest %}
