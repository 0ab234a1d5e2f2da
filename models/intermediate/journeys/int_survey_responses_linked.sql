{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='response_id',
    replace_changed={'response_id': 'int_changed_survey_responses'},
) }}
{#- Incremental: a response's link depends on its own row, its contact (in scope? which attempt?), that attempt's
    journey, and its customer's identified journeys; its is_journey_score on the other responses of its journey.
    A run recomputes (1) the responses of int_changed_survey_responses (row or contact rewritten), (2) the stored
    responses linked to a journey of int_changed_journeys, (3) the responses of every customer with a journey of
    int_changed_journeys (a new or moved journey may now be the latest in their window), and (4) every stored
    response of a journey that a response of (1)-(3) was or may now be linked to, so each journey's score is
    ranked among all its responses again. Every other response keeps its row: nothing it depends on changed.
    cx_replace first deletes the responses of int_changed_survey_responses, so one no longer accepted disappears. -#}
{%- set link_days = var('survey_link_window_days') -%}
with

all_responses as (
    select * from {{ ref('stg_platform__survey_responses') }}
),

all_accepted_contacts as (
    select * from {{ ref('stg_platform__contacts') }}
),

all_contacts_in_scope as (
    select * from {{ ref('int_contacts_enriched') }}
),

all_assignments as (
    select * from {{ ref('int_journey_attempts_assigned') }}
),

all_journeys as (
    select * from {{ ref('int_journeys_aggregated') }}
),

changed_responses as (  -- noqa: ST03
    select * from {{ ref('int_changed_survey_responses') }}
),

changed_journeys as (  -- noqa: ST03
    select * from {{ ref('int_changed_journeys') }}
),
{%- if is_incremental() %}

stored as (
    select
        response_id,
        journey_id
    from {{ this }}
),

changed_journey_customers as (
    select all_journeys.customer_id
    from all_journeys
    where
        all_journeys.journey_id in (select changed_journeys.journey_id from changed_journeys)
        and all_journeys.customer_id is not null
),

responses_changed as (
    select changed_responses.response_id
    from changed_responses
    union
    select stored.response_id
    from stored
    where stored.journey_id in (select changed_journeys.journey_id from changed_journeys)
    union
    select all_responses.response_id
    from all_responses
    where all_responses.customer_id in (select changed_journey_customers.customer_id from changed_journey_customers)
),

responses_changed_rows as (
    select
        all_responses.contact_id,
        all_responses.customer_id
    from all_responses
    where all_responses.response_id in (select responses_changed.response_id from responses_changed)
),

journeys_touched as (
    -- every journey a recomputed response was, or may now be, linked to
    select stored.journey_id
    from stored
    where stored.response_id in (select responses_changed.response_id from responses_changed)
    union
    select all_journeys.journey_id
    from all_journeys
    where all_journeys.customer_id in (select responses_changed_rows.customer_id from responses_changed_rows)
    union
    select all_assignments.journey_id
    from all_assignments
    inner join all_contacts_in_scope
        on all_assignments.attempt_id = all_contacts_in_scope.initial_contact_id
    where all_contacts_in_scope.contact_id in (select responses_changed_rows.contact_id from responses_changed_rows)
),

responses_to_recompute as (
    select responses_changed.response_id
    from responses_changed
    union
    select stored.response_id
    from stored
    where stored.journey_id in (select journeys_touched.journey_id from journeys_touched)
),
{%- endif %}

responses as (
    select all_responses.*
    from all_responses
    {%- if is_incremental() %}
    where all_responses.response_id in (select responses_to_recompute.response_id from responses_to_recompute)
    {%- endif %}
),

accepted_contacts as (
    select all_accepted_contacts.contact_id
    from all_accepted_contacts
    {%- if is_incremental() %}
    where all_accepted_contacts.contact_id in (select responses.contact_id from responses)
    {%- endif %}
),

contacts_in_scope as (
    select
        all_contacts_in_scope.contact_id,
        all_contacts_in_scope.initial_contact_id
    from all_contacts_in_scope
    {%- if is_incremental() %}
    where all_contacts_in_scope.contact_id in (select responses.contact_id from responses)
    {%- endif %}
),

assignments as (
    select all_assignments.*
    from all_assignments
    {%- if is_incremental() %}
    where all_assignments.attempt_id in (select contacts_in_scope.initial_contact_id from contacts_in_scope)
    {%- endif %}
),

journeys as (
    select all_journeys.*
    from all_journeys
    {%- if is_incremental() %}
    where all_journeys.customer_id in (select responses.customer_id from responses)
    {%- endif %}
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
        end as is_journey_score,
        {{ cx_batch_at() }} as _batch_at
    from linked
)

select * from ranked
