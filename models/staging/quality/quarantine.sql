{{ config(materialized='table') }}

with

row_statuses as (
    select * from {{ ref('stg_quality__row_statuses') }}
),

final as (
    select
        table_name,
        record_key,
        reason,
        raw_row,
        load_date,
        loaded_at,
        source_file,
        file_row_number
    from row_statuses
    where status = 'quarantined'
)

select * from final
