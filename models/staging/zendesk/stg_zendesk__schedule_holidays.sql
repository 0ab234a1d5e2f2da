{#- SPEC §8.4 business hours: Zendesk's schedule holidays in the shape of the business_holidays seed (local dates
    of the schedule, inclusive), each holiday's latest delivery, removed ones dropped. Empty when the adapter is off
    or no holiday was delivered. -#}
{{ config(materialized='view') }}
with

holiday_rows as (
    select * from {{ cx_platform_table('zendesk', 'schedule_holiday') }}
),

latest as (
    select
        schedule_id,
        name,
        start_date,
        end_date,
        coalesce(_fivetran_deleted, false) as is_deleted,
        row_number() over (partition by id order by _fivetran_synced desc, filename desc, file_row_number desc)
            as delivery_rank
    from holiday_rows
),

final as (
    select
        'zendesk:' || cast(schedule_id as {{ dbt.type_string() }}) as schedule_id,
        name as holiday_name,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date
    from latest
    where delivery_rank = 1 and not is_deleted
)

select * from final
