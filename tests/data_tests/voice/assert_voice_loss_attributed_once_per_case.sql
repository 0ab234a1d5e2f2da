-- Each linked fraud case is attributed exactly once, to its earliest linked attempt.
with

fraud_links as (
    select * from {{ ref('int_voice_fraud_linked') }}
),

cases_checked as (
    select
        fraud_case_id,
        count(case when is_loss_attributed then 1 end) as attributed_links,
        min(started_at) as earliest_started_at,
        max(case when is_loss_attributed then started_at end) as attributed_started_at
    from fraud_links
    group by fraud_case_id
),

failing as (
    select *
    from cases_checked
    where
        attributed_links != 1
        or attributed_started_at != earliest_started_at
)

select * from failing
