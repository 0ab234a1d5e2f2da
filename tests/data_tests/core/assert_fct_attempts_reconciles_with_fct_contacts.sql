-- fct_attempts has one row per attempt of fct_contacts: its row count equals the distinct attempt ids of
-- fct_contacts.
{{ config(tags=['reconciliation'], severity='warn') }}
with

attempts as (
    select * from {{ ref('fct_attempts') }}
),

contacts as (
    select * from {{ ref('fct_contacts') }}
),

attempt_totals as (
    select count(*) as attempts
    from attempts
),

contact_totals as (
    select count(distinct attempt_id) as attempts
    from contacts
),

compared as (
    select
        attempt_totals.attempts,
        contact_totals.attempts as expected_attempts
    from attempt_totals
    cross join contact_totals
)

select * from compared
where attempts <> expected_attempts
