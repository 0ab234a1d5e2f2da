{#- MetricFlow's day-grain time spine (dbt 1.11 `time_spine` config in _semantic__models.yml), taken from
    dim_date so the semantic layer and the marts share one calendar. -#}
with

dates as (
    select * from {{ ref('dim_date') }}
),

final as (
    select cast(date_day as date) as date_day
    from dates
)

select * from final
