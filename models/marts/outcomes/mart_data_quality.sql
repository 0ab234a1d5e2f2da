{#- The counts are kept by int_row_statuses_counted, incremental by load: this table publishes them with the
    columns of SPEC §5 (a table, so its contract's not-null constraints hold; 5.4 k rows at scale L). -#}
with

row_status_counts as (
    select * from {{ ref('int_row_statuses_counted') }}
),

final as (
    select
        load_date,
        table_name,
        status,
        reason,
        row_count as rows
    from row_status_counts
)

select * from final
