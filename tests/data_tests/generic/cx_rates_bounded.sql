{% test cx_rates_bounded(model) %}
{#- Fails on every value outside [0, 1] (null passes) of the model's bounded columns: every numeric column named
    like a rate (`rate` as a word of its name: fcr_rate, retention_rate_30d) or survival, precision or recall.
    The columns are read from the built relation when the test runs, so a new rate column is checked without a
    YAML edit. One failing row per value: the column's name and the value.

    tag bounds, severity warn: the nightly's validation step reads the result from run_results.json and fails
    the night with exit 6 (scripts/ops/validate.py); `make test-build` makes a warning an error. -#}
{{ config(tags=['bounds'], severity='warn') }}
{#- the rule of a bounded column (its name); numeric: the adapter's own reading of the type (dbt's Column.is_number) -#}
{%- set bounded_name = '(^|_)rate($|_)|^(survival|precision|recall)$' -%}
{%- set bounded = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- if modules.re.search(bounded_name, column.name) and column.is_number() -%}
            {%- do bounded.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}
{%- if bounded %}
    {%- for column_name in bounded %}
select
    '{{ column_name }}' as column_name,
    cast({{ adapter.quote(column_name) }} as double) as value
from {{ model }}
where {{ adapter.quote(column_name) }} < 0 or {{ adapter.quote(column_name) }} > 1
        {%- if not loop.last %}
union all
        {%- endif %}
    {%- endfor %}
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as double) as value
where false
{%- endif %}
{% endtest %}
