-- Per date, mart_voice_security agrees with the alerts, the auth-method mart and the fraud links.
-- (high_risk_actions = alerts; Σ auth_attempts = Σ auth events; each confirmed case's loss counted once.)
{{ config(tags=['reconciliation'], severity='warn') }}
with

security as (
    select * from {{ ref('mart_voice_security') }}
),

auth_methods as (
    select * from {{ ref('mart_voice_auth_methods') }}
),

alerts as (
    select * from {{ ref('fct_voice_risk_alerts') }}
),

voice_attempts as (
    select * from {{ ref('int_voice_attempts_scored') }}
),

fraud_links as (
    select * from {{ ref('int_voice_fraud_linked') }}
),

alerts_daily as (
    select
        attempt_date,
        count(*) as alerts
    from alerts
    group by attempt_date
),

auth_daily as (
    select
        attempt_date,
        sum(auth_attempts) as auth_attempts
    from auth_methods
    group by attempt_date
),

attempt_auth_daily as (
    select
        attempt_date,
        sum(auth_events) as auth_events
    from voice_attempts
    group by attempt_date
),

cases_once as (
    -- each linked case once, on its earliest attempt's date
    select
        fraud_case_id,
        min(loss_amount) as loss_amount,
        min(attempt_date) as first_attempt_date
    from fraud_links
    where is_loss_attributed
    group by fraud_case_id
),

cases_daily as (
    select
        first_attempt_date as attempt_date,
        count(*) as cases,
        sum(loss_amount) as loss_amount
    from cases_once
    group by first_attempt_date
),

compared as (
    select
        security.attempt_date,
        security.high_risk_actions,
        coalesce(alerts_daily.alerts, 0) as alerts,
        coalesce(auth_daily.auth_attempts, 0) as auth_attempts,
        coalesce(attempt_auth_daily.auth_events, 0) as auth_events,
        security.confirmed_fraud_cases,
        coalesce(cases_daily.cases, 0) as cases,
        security.confirmed_loss,
        coalesce(cases_daily.loss_amount, 0) as loss_amount
    from security
    left join alerts_daily
        on security.attempt_date = alerts_daily.attempt_date
    left join auth_daily
        on security.attempt_date = auth_daily.attempt_date
    left join attempt_auth_daily
        on security.attempt_date = attempt_auth_daily.attempt_date
    left join cases_daily
        on security.attempt_date = cases_daily.attempt_date
),

failing as (
    select *
    from compared
    where
        high_risk_actions != alerts
        or auth_attempts != auth_events
        or confirmed_fraud_cases != cases
        or confirmed_loss != loss_amount
)

select * from failing
