with

row_statuses as (
    select * from {{ ref('stg_quality__row_statuses') }}
),

counted as (
    select
        load_date,
        table_name,
        status,
        reason,
        count(*) as row_count
    from row_statuses
    group by load_date, table_name, status, reason
),

final as (
    select
        load_date,
        table_name,
        status,
        reason,
        row_count as rows
    from counted
)

select * from final
