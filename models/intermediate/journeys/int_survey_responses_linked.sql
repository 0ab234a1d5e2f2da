{%- set link_days = var('survey_link_window_days') -%}
with

responses as (
    select * from {{ ref('stg_platform__survey_responses') }}
),

accepted_contacts as (
    select * from {{ ref('stg_platform__contacts') }}
),

contacts_in_scope as (
    select * from {{ ref('int_contacts_enriched') }}
),

assignments as (
    select * from {{ ref('int_journey_attempts_assigned') }}
),

journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

standard_scales as (
    -- SPEC §4.5: every survey is rescaled linearly onto its standard scale
    select
        'ces' as survey_type,
        1.0 as standard_min,
        7.0 as standard_max
    union all
    select
        'csat' as survey_type,
        1.0 as standard_min,
        5.0 as standard_max
    union all
    select
        'nps' as survey_type,
        0.0 as standard_min,
        10.0 as standard_max
),

responses_in_scope as (
    -- SPEC §4.7: a survey linked by contact_id to a contact left out by as_of is left out with it
    select responses.*
    from responses
    left join accepted_contacts
        on responses.contact_id = accepted_contacts.contact_id
    left join contacts_in_scope
        on responses.contact_id = contacts_in_scope.contact_id
    where
        accepted_contacts.contact_id is null
        or contacts_in_scope.contact_id is not null
),

linked_by_contact as (
    select
        responses_in_scope.response_id,
        assignments.journey_id
    from responses_in_scope
    inner join contacts_in_scope
        on responses_in_scope.contact_id = contacts_in_scope.contact_id
    inner join assignments
        on contacts_in_scope.initial_contact_id = assignments.attempt_id
),

customer_candidates as (
    -- no accepted contact: the customer's identified journey with the latest ended_at in
    -- [responded_at − survey_link_window_days, responded_at]
    select
        responses_in_scope.response_id,
        journeys.journey_id,
        row_number() over (
            partition by responses_in_scope.response_id
            order by journeys.ended_at desc, journeys.journey_id desc
        ) as candidate_rank
    from responses_in_scope
    inner join journeys
        on
            responses_in_scope.customer_id = journeys.customer_id
            and journeys.is_identified
            and responses_in_scope.responded_at >= journeys.ended_at
            and journeys.ended_at >= {{ dbt.dateadd('day', -link_days, 'responses_in_scope.responded_at') }}
    where responses_in_scope.response_id not in (select linked_by_contact.response_id from linked_by_contact)
),

linked as (
    select
        responses_in_scope.*,
        coalesce(linked_by_contact.journey_id, customer_candidates.journey_id) as journey_id,
        case
            when linked_by_contact.journey_id is not null then 'contact'
            when customer_candidates.journey_id is not null then 'customer'
        end as link_method,
        standard_scales.standard_min
        + (responses_in_scope.score - responses_in_scope.scale_min)
        * (standard_scales.standard_max - standard_scales.standard_min)
        / (responses_in_scope.scale_max - responses_in_scope.scale_min) as score_rescaled
    from responses_in_scope
    inner join standard_scales
        on responses_in_scope.survey_type = standard_scales.survey_type
    left join linked_by_contact
        on responses_in_scope.response_id = linked_by_contact.response_id
    left join customer_candidates
        on
            responses_in_scope.response_id = customer_candidates.response_id
            and customer_candidates.candidate_rank = 1
),

ranked as (
    select
        linked.*,
        -- a journey's score of a type is its latest linked response of that type (ties: larger response_id)
        case
            when linked.journey_id is not null
                then row_number() over (
                    partition by linked.journey_id, linked.survey_type
                    order by linked.responded_at desc, linked.response_id desc
                ) = 1
            else false
        end as is_journey_score
    from linked
)

select * from ranked
