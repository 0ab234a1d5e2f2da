{% test cx_unique_large(model, column_name) %}
{#- dbt's `unique` for tables of tens of millions of rows: fails on every non-null value of `column_name` that
    occurs more than once, like `unique`, but groups 64-bit hashes of the values first (cx_key_hash) and only
    the rows whose hash repeats by their real value. At scale L, `unique` on the 60 M event ids took 45 s of
    the build. -#}
with

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

select
    unique_field,
    count(*) as n_records
from candidates
group by unique_field
having count(*) > 1
{% endtest %}
