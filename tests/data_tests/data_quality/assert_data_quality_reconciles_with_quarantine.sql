-- mart_data_quality's quarantined rows add up to the rows of staging's quarantine.
{{ config(tags=['reconciliation'], severity='warn') }}
with

quality as (
    select * from {{ ref('mart_data_quality') }}
),

quarantine as (
    select * from {{ ref('quarantine') }}
),

quality_totals as (
    select coalesce(sum(rows), 0) as quarantined_rows
    from quality
    where status = 'quarantined'
),

quarantine_totals as (
    select count(*) as quarantined_rows
    from quarantine
),

compared as (
    select
        quality_totals.quarantined_rows,
        quarantine_totals.quarantined_rows as expected_quarantined_rows
    from quality_totals
    cross join quarantine_totals
)

select * from compared
where quarantined_rows <> expected_quarantined_rows
