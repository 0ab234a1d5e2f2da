{% test cx_contract_values(model, column_name, of) %}
{#- Fails on every value of the column that is not one of a raw-contract enum's accepted values (`of`:
    table.column of the raw contract, e.g. contacts.channel; the values are read from the sources YAML through
    cx_contract_accepted_values, so the enum is written once). Null passes, as with accepted_values. -#}
{%- set values = cx_contract_accepted_values(of) %}
select
    {{ column_name }} as value_field,
    count(*) as n_records
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} not in (
        {%- for value in values %}
            '{{ value }}'{% if not loop.last %},{% endif %}
        {%- endfor %}
    )
group by {{ column_name }}
{% endtest %}
