{% test cx_contract_values(model, column_name, of) %}
{#- Fails on every value of the column that is not one of a raw-contract enum's accepted values (`of`:
    table.column of the raw contract, e.g. contacts.channel; the values are read from the sources YAML through
    cx_raw_contract(), so the enum is written once). Null passes, as with accepted_values. -#}
{%- set table_name, contract_column = of.split('.') -%}
{%- set matches = cx_raw_contract()[table_name].columns | selectattr('name', 'equalto', contract_column) | list -%}
{%- if not matches or not matches[0].get('accepted_values') -%}
    {{ exceptions.raise_compiler_error("cx_contract_values: the raw contract has no enum column '" ~ of ~ "'") }}
{%- endif -%}
{%- set values = matches[0].accepted_values %}
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
