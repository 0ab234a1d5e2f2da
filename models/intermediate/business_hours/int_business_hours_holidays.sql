{#- Every schedule's holidays (local dates, inclusive): the business_holidays seed's and each enabled platform's
    own (stg_zendesk__schedule_holidays). -#}
{{ config(materialized='view') }}
with

seeded as (
    select * from {{ ref('business_holidays') }}
),

zendesk as (
    select * from {{ ref('stg_zendesk__schedule_holidays') }}
),

unioned as (
    select
        schedule_id,
        holiday_name,
        start_date,
        end_date
    from seeded
    union all
    select
        schedule_id,
        holiday_name,
        start_date,
        end_date
    from zendesk
)

select * from unioned
