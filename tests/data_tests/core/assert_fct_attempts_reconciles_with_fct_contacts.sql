-- fct_attempts has one row per attempt of fct_contacts: its row count equals the distinct attempt ids of
-- fct_contacts (every attempt has a contact; fct_contacts' inner join gives every contact an attempt).
-- On a nightly, the attempts of the latest build batch (cx_latest_batch): a contact that moves rewrites or
-- deletes its old attempt tonight, so an attempt left without contacts is one of tonight's; a full refresh, or
-- var('cx_full_data_tests') = true, counts every attempt.
{{ config(tags=['reconciliation'], severity='warn') }}
with

attempts as (
    select * from {{ ref('fct_attempts') }}
    where {{ cx_latest_batch(ref('fct_attempts')) }}
),

contacts as (
    select * from {{ ref('fct_contacts') }}
),

attempt_totals as (
    select count(*) as attempts
    from attempts
),

contact_totals as (
    select count(distinct contacts.attempt_id) as attempts
    from contacts
    where contacts.attempt_id in (select attempts.attempt_id from attempts)
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
