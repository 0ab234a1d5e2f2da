{#- Calendar from the first contact's date to as_of + the longest horizon the marts look ahead. -#}
{%- set horizon_days = ([var('revenue_protection_horizon_days'), 180] + var('retention_horizons_days')) | max -%}
with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

bounds as (
    select
        cast(min(contacts.initiated_at) as date) as first_date,
        cast({{ dbt.dateadd('day', horizon_days, 'max(as_of.as_of)') }} as date) as last_date
    from contacts
    cross join as_of
),

spine as (
    {{ cx_date_spine('bounds') }}
),

final as (
    select
        date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as date_week,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as date_month,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as date_quarter,
        cast(extract(year from date_day) as {{ dbt.type_bigint() }}) as year_number,
        cast(extract(month from date_day) as {{ dbt.type_bigint() }}) as month_of_year,
        cast(extract(day from date_day) as {{ dbt.type_bigint() }}) as day_of_month,
        cast({{ cx_iso_day_of_week("date_day") }} as {{ dbt.type_bigint() }}) as iso_day_of_week,
        {{ cx_iso_day_of_week("date_day") }} in (6, 7) as is_weekend
    from spine
)

select * from final
