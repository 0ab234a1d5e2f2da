{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='response_id',
    replace_changed={'response_id': 'int_changed_survey_responses'},
) }}
{#- Incremental: a response's link depends on its own row, its contact (in scope? which attempt?), that attempt's
    journey, and its customer's identified journeys; its is_journey_score on the other responses of its journey.
    A run links again (1) the responses of int_changed_survey_responses (row or contact rewritten), (2) the stored
    responses linked to a journey of int_changed_journeys, (3) the responses of every customer with a journey of
    int_changed_journeys (a new or moved journey may now be the latest in their window). Then every journey one of
    them was linked to before the run or is linked to now ranks its responses again (is_journey_score): its other
    responses keep their stored link (nothing it depends on changed) and are rewritten with the new rank. Every
    other response keeps its row. cx_replace first deletes the responses of int_changed_survey_responses, so one
    no longer accepted disappears.
    A customer's journeys are read off its attempts (int_attempts_chained), not the stored journeys:
    int_journeys_aggregated stores each journey's scores (is_journey_score), so dbt builds it after this model. -#}
{%- set link_days = var('survey_link_window_days') -%}
with

-- the imports read more than once are inlined (cx_cte_inlined): a night reads the few rows it recomputes from each
-- stored table instead of a copy of all of them
all_responses as {{ cx_cte_inlined() }} (
    select * from {{ ref('stg_platform__survey_responses') }}
),

all_accepted_contacts as (
    select * from {{ ref('stg_platform__contacts') }}
),

all_contacts_in_scope as {{ cx_cte_inlined() }} (
    select * from {{ ref('int_contacts_enriched') }}
),

all_attempts as {{ cx_cte_inlined() }} (
    select * from {{ ref('int_attempts_chained') }}
),

changed_responses as (  -- noqa: ST03
    select * from {{ ref('int_changed_survey_responses') }}
),

changed_journeys as (  -- noqa: ST03
    select * from {{ ref('int_changed_journeys') }}
),
{%- if is_incremental() %}

stored as {{ cx_cte_inlined() }} (
    select * from {{ this }}
),

changed_journey_customers as (
    -- every attempt of a journey has the journey's customer (SPEC §4.1)
    select all_attempts.customer_id
    from all_attempts
    where
        all_attempts.journey_id in (select changed_journeys.journey_id from changed_journeys)
        and all_attempts.customer_id is not null
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
{%- endif %}

responses as (
    select all_responses.*
    from all_responses
    {%- if is_incremental() %}
    where all_responses.response_id in (select responses_changed.response_id from responses_changed)
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
    -- SPEC §4.7: a survey linked by contact_id to a contact left out by as_of is left out with it. Each
    -- response is joined to its contact and that contact's attempt assignment (one row each at most). The
    -- linking reads the responses one CTE after the other, and this CTE twice (customer_journeys takes its
    -- customers): DuckDB computes a CTE read twice once; Spark inlines every reference to a CTE, and the
    -- incremental run's responses are themselves a plan of a few dozen reads (Spark builds full refreshes only).
    select
        responses.*,
        all_attempts.attempt_id is not null as is_contact_linked,
        all_attempts.journey_id as contact_journey_id
    from responses
    left join all_accepted_contacts
        on responses.contact_id = all_accepted_contacts.contact_id
    left join all_contacts_in_scope
        on responses.contact_id = all_contacts_in_scope.contact_id
    left join all_attempts
        on all_contacts_in_scope.initial_contact_id = all_attempts.attempt_id
    where
        all_accepted_contacts.contact_id is null
        or all_contacts_in_scope.contact_id is not null
),

customer_journeys as (
    -- the identified journeys of the customers of the responses without a contact link, rolled up from their
    -- attempts as int_journeys_aggregated rolls them up (a journey is one customer's attempts: every attempt carries
    -- its customer; it ends when its last attempt ends). From the attempts, not the stored journeys: the journeys
    -- store each journey's survey scores, so they are built after this model.
    select
        all_attempts.journey_id,
        all_attempts.customer_id,
        max(all_attempts.ended_at) as ended_at
    from all_attempts
    where
        all_attempts.is_identified
        and all_attempts.customer_id in (
            select responses_in_scope.customer_id
            from responses_in_scope
            where not responses_in_scope.is_contact_linked
        )
    group by all_attempts.journey_id, all_attempts.customer_id
),

customer_candidates as (
    -- no contact link: the customer's identified journey with the latest ended_at in
    -- [responded_at − survey_link_window_days, responded_at]; every response keeps one row of rank 1 (its
    -- journey, or none)
    select
        responses_in_scope.*,
        customer_journeys.journey_id as customer_journey_id,
        row_number() over (
            partition by responses_in_scope.response_id
            order by customer_journeys.ended_at desc, customer_journeys.journey_id desc
        ) as candidate_rank
    from responses_in_scope
    left join customer_journeys
        on
            not responses_in_scope.is_contact_linked
            and responses_in_scope.customer_id = customer_journeys.customer_id
            and responses_in_scope.responded_at >= customer_journeys.ended_at
            and customer_journeys.ended_at >= {{ dbt.dateadd('day', -link_days, 'responses_in_scope.responded_at') }}
),

linked as (
    select
        -- the columns of stg_platform__survey_responses, named (customer_candidates also holds the linking's
        -- helper columns): a column added there is added here too
        customer_candidates.response_id,
        customer_candidates.contact_id,
        customer_candidates.customer_id,
        customer_candidates.survey_type,
        customer_candidates.score,
        customer_candidates.scale_min,
        customer_candidates.scale_max,
        customer_candidates.responded_at,
        customer_candidates._loaded_at,
        customer_candidates._load_date,
        case
            when customer_candidates.is_contact_linked then customer_candidates.contact_journey_id
            else customer_candidates.customer_journey_id
        end as journey_id,
        case
            when customer_candidates.is_contact_linked and customer_candidates.contact_journey_id is not null
                then 'contact'
            when customer_candidates.customer_journey_id is not null then 'customer'
        end as link_method,
        standard_scales.standard_min
        + (customer_candidates.score - customer_candidates.scale_min)
        * (standard_scales.standard_max - standard_scales.standard_min)
        / (customer_candidates.scale_max - customer_candidates.scale_min) as score_rescaled,
        -- fct_survey_responses is a view over this table and holds no salt (SPEC §7): the key is computed here
        {{ cx_customer_key('customer_candidates.customer_id') }} as customer_key,
        {{ cx_to_reporting_date('customer_candidates.responded_at') }} as response_date
    from customer_candidates
    inner join standard_scales
        on customer_candidates.survey_type = standard_scales.survey_type
    where customer_candidates.candidate_rank = 1
),
{%- if is_incremental() %}

journeys_touched as (
    -- the journeys whose responses change: those a response linked again was linked to before the run, and those
    -- it is linked to now
    select stored.journey_id
    from stored
    where stored.response_id in (select responses_changed.response_id from responses_changed)
    union
    select linked.journey_id
    from linked
),

responses_kept as (
    -- the other responses of those journeys: their link stands (nothing it depends on changed); their rank is
    -- computed again below
    select
        stored.response_id,
        stored.contact_id,
        stored.customer_id,
        stored.survey_type,
        stored.score,
        stored.scale_min,
        stored.scale_max,
        stored.responded_at,
        stored._loaded_at,
        stored._load_date,
        stored.journey_id,
        stored.link_method,
        stored.score_rescaled,
        stored.customer_key,
        stored.response_date
    from stored
    where
        stored.journey_id in (select journeys_touched.journey_id from journeys_touched)
        and stored.response_id not in (select responses_changed.response_id from responses_changed)
),
{%- endif %}

responses_linked as (
    select * from linked
    {%- if is_incremental() %}
    union all
    select * from responses_kept
    {%- endif %}
),

ranked as (
    select
        responses_linked.*,
        -- a journey's score of a type is its latest linked response of that type (ties: larger response_id)
        case
            when responses_linked.journey_id is not null
                then row_number() over (
                    partition by responses_linked.journey_id, responses_linked.survey_type
                    order by responses_linked.responded_at desc, responses_linked.response_id desc
                ) = 1
            else false
        end as is_journey_score,
        {{ cx_batch_at() }} as _batch_at
    from responses_linked
)

select * from ranked
