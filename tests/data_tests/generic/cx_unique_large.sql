{% test cx_unique_large(model, column_name, batch_column=none) %}
{#- dbt's `unique` for tables of tens of millions of rows: fails on every non-null value of `column_name` that
    occurs more than once, like `unique`, but groups 64-bit hashes of the values first (cx_key_hash) and only
    the rows whose hash repeats by their real value. At scale L, `unique` on the 60 M event ids took 45 s of
    the build.

    With `batch_column` (the incremental models' _batch_at) and a table holding more than one batch, only the
    values of the latest batch's rows are checked, against every row: a duplicate pair always has a row written
    in the later of the two builds, whose own run of this test caught it. A full refresh writes one batch, so it
    checks every value; so does var('cx_full_data_tests') = true (e.g. a weekly `dbt test`): cx_batch_scoped,
    cx_latest_batch (macros/cx_latest_batch.sql), cx_test_batch_scoped. -#}
{%- set scoped = cx_test_batch_scoped(model, batch_column) %}
with
{%- if scoped %}

latest_values as (
    select distinct {{ column_name }} as unique_field
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ cx_latest_batch(model, batch_column) }}
),

candidates as (
    select {{ column_name }} as unique_field
    from {{ model }}
    where {{ column_name }} in (select latest_values.unique_field from latest_values)
)
{%- else %}

repeated_hashes as (
    select {{ cx_key_hash([column_name]) }} as value_hash
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ cx_key_hash([column_name]) }}
    having count(*) > 1
),

candidates as (
    select {{ column_name }} as unique_field
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ cx_key_hash([column_name]) }} in (select repeated_hashes.value_hash from repeated_hashes)
)
{%- endif %}

select
    unique_field,
    count(*) as n_records
from candidates
group by unique_field
having count(*) > 1
{% endtest %}
