{% test cx_unique_combination(model, columns, batch_column=none) %}
{#- Fails on every combination of `columns` that occurs more than once (nulls compare equal).

    With `batch_column` (the incremental models' _batch_at) and a table holding more than one batch, only the
    combinations of the latest batch's rows are checked, against every row, as cx_unique_large does: a duplicate
    pair always has a row written in the later of the two builds, whose own run of this test caught it. A full
    refresh, or var('cx_full_data_tests') = true, checks every row (cx_test_batch_scoped). -#}
{%- set scoped = cx_test_batch_scoped(model, batch_column) %}
with
{%- if scoped %}

latest_combinations as (
    select distinct {{ columns | join(', ') }}
    from {{ model }}
    where {{ cx_latest_batch(model, batch_column) }}
),

candidates as (
    select
        {%- for column in columns %}
        checked.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }} as checked
    inner join latest_combinations
        on
            {%- for column in columns %}
            {{ 'and ' if not loop.first }}checked.{{ column }} is not distinct from latest_combinations.{{ column }}
            {%- endfor %}
),
{%- else %}

candidates as (
    select {{ columns | join(', ') }}
    from {{ model }}
),
{%- endif %}

grouped as (
    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from candidates
    group by {{ columns | join(', ') }}
)

select * from grouped
where occurrences > 1
{% endtest %}
