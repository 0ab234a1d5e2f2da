{#- Confirmed fraud cases linked to voice-security attempts (SPEC §4.9): through any contact of the attempt, or
    through the attempt's customer when the case was reported within [ended_at, ended_at + 30 days]. Each case's
    loss is attributed once, to the earliest attempt it links to (started_at, then attempt_id). -#}
with

voice_events as (
    select * from {{ ref('int_voice_events_scoped') }}
),

attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
),

fraud_cases as (
    select * from {{ ref('stg_platform__fraud_cases') }}
),

confirmed_cases as (
    select
        fraud_case_id,
        customer_id,
        contact_id,
        reported_at,
        fraud_type,
        loss_amount
    from fraud_cases
    where confirmed
),

case_contacts as (
    -- the contacts a confirmed case names, with their attempt
    select
        contacts.contact_id,
        contacts.initial_contact_id as attempt_id
    from contacts
    where contacts.contact_id in (select confirmed_cases.contact_id from confirmed_cases)
),

case_customers as (
    select distinct confirmed_cases.customer_id
    from confirmed_cases
    where confirmed_cases.customer_id is not null
),

case_contact_attempts as (
    select distinct case_contacts.attempt_id
    from case_contacts
),

attempts_of_cases as (
    -- the only attempts a case can link to: those of its customer and those of its contact, found in one read of
    -- the attempts (each of them read once, so no engine keeps a copy of every attempt for a second read). Left
    -- joins, not an OR of IN lists: Spark 4.3 fails to ship an OR or a union of subqueries inside a filter to its
    -- tasks (ClassCastException on UnionExec).
    select
        attempts.attempt_id,
        attempts.customer_id,
        attempts.started_at,
        attempts.ended_at,
        attempts.attempt_date
    from attempts
    left join case_customers
        on attempts.customer_id = case_customers.customer_id
    left join case_contact_attempts
        on attempts.attempt_id = case_contact_attempts.attempt_id
    where
        case_customers.customer_id is not null
        or case_contact_attempts.attempt_id is not null
),

voice_attempt_ids as (
    select distinct voice_events.attempt_id
    from voice_events
    where voice_events.attempt_id in (select attempts_of_cases.attempt_id from attempts_of_cases)
),

voice_attempts as (
    select attempts_of_cases.*
    from attempts_of_cases
    inner join voice_attempt_ids
        on attempts_of_cases.attempt_id = voice_attempt_ids.attempt_id
),

linked_by_contact as (
    select
        confirmed_cases.fraud_case_id,
        case_contacts.attempt_id,
        true as is_contact_link,
        false as is_customer_window_link
    from confirmed_cases
    inner join case_contacts
        on confirmed_cases.contact_id = case_contacts.contact_id
    inner join voice_attempts
        on case_contacts.attempt_id = voice_attempts.attempt_id
),

linked_by_customer as (
    -- reported_at in [ended_at, ended_at + 30 days], both ends inclusive, an exact interval
    select
        confirmed_cases.fraud_case_id,
        voice_attempts.attempt_id,
        false as is_contact_link,
        true as is_customer_window_link
    from confirmed_cases
    inner join voice_attempts
        on
            confirmed_cases.customer_id = voice_attempts.customer_id
            and confirmed_cases.reported_at >= voice_attempts.ended_at
            and confirmed_cases.reported_at <= {{ dbt.dateadd('day', 30, 'voice_attempts.ended_at') }}
),

links_unioned as (
    select * from linked_by_contact
    union all
    select * from linked_by_customer
),

links_deduplicated as (
    select
        fraud_case_id,
        attempt_id,
        bool_or(is_contact_link) as is_contact_link,
        bool_or(is_customer_window_link) as is_customer_window_link
    from links_unioned
    group by fraud_case_id, attempt_id
),

links_ranked as (
    select
        links_deduplicated.fraud_case_id,
        links_deduplicated.attempt_id,
        voice_attempts.attempt_date,
        voice_attempts.started_at,
        confirmed_cases.reported_at,
        confirmed_cases.fraud_type,
        confirmed_cases.loss_amount,
        links_deduplicated.is_contact_link,
        links_deduplicated.is_customer_window_link,
        row_number() over (
            partition by links_deduplicated.fraud_case_id
            order by voice_attempts.started_at, links_deduplicated.attempt_id
        ) as link_rank
    from links_deduplicated
    inner join voice_attempts
        on links_deduplicated.attempt_id = voice_attempts.attempt_id
    inner join confirmed_cases
        on links_deduplicated.fraud_case_id = confirmed_cases.fraud_case_id
),

final as (
    select
        fraud_case_id,
        attempt_id,
        attempt_date,
        started_at,
        reported_at,
        fraud_type,
        loss_amount,
        is_contact_link,
        is_customer_window_link,
        link_rank = 1 as is_loss_attributed
    from links_ranked
)

select * from final
