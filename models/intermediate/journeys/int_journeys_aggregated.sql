{{ config(
    materialized='incremental',
    incremental_strategy='cx_replace',
    unique_key='journey_id',
    replace_changed={'journey_id': 'int_changed_journeys'},
) }}
{#- The one stored table of journeys (issue #22): each journey rolled up from its attempts (SPEC §4.1, §4.3, §4.5)
    and what followed it that does not depend on as_of (SPEC §4.6: whether its customer was active at its start,
    its end, ended_at + N days for each retention horizon and the revenue-protection horizon; the end of the spell
    containing ended_at; 12 × the MRR in force at the start; the completed orders in
    (ended_at, ended_at + var('purchase_window_days') days]); and its survey scores (SPEC §4.5, from
    int_survey_responses_linked). int_journeys_retention_evaluated and int_journeys_purchases_evaluated apply as_of
    to these rows.

    Incremental: a run recomputes the journeys of int_changed_journeys (every journey of a (customer, intent) with
    a changed attempt), the stored journeys whose maturity flips because as_of moved (cx_is_matured on the stored
    ended_at; nothing else in a journey depends on as_of), every stored journey of a customer with a subscription
    delivered tonight, and every stored journey of a customer with an order delivered tonight whose purchase window
    holds that order's time, under each customer and order time it was ever delivered with
    (int_changed_subscriptions, int_changed_orders), so a row that moves to another customer or time updates both;
    and every stored journey whose scores differ from those its linked responses give now.
    cx_replace first deletes the changed journeys, so an id that is no longer any attempt's journey disappears. -#}
{%- set ai_types = ['self_service_ai', 'ai_to_agent', 'ai_assisted_agent'] -%}
{#- ai_path: each AI interaction type's first attempt number in a journey (null: none of its attempts) -#}
{%- set path_types = var('ai_interaction_types') -%}
{%- set path_positions = [] -%}
{%- set journey_path_positions = [] -%}
{%- for ai_type in path_types -%}
    {%- do path_positions.append(ai_type ~ '_first_attempt_number') -%}
    {%- do journey_path_positions.append('journey_measures.' ~ ai_type ~ '_first_attempt_number') -%}
{%- endfor -%}
{%- set channels = cx_contract_accepted_values('contacts.channel') -%}
{%- set horizons = var('retention_horizons_days') -%}
{%- set protection_days = var('revenue_protection_horizon_days') %}
with

all_attempts as (
    select * from {{ ref('int_attempts_chained') }}
),

effort_weights as (
    select * from {{ ref('effort_weights') }}
),

as_of as (
    select * from {{ ref('int_as_of_resolved') }}
),

spells as (
    select * from {{ ref('int_customer_active_spells_merged') }}
),

subscription_versions as (
    select * from {{ ref('int_subscriptions_versioned') }}
),

orders as (
    select * from {{ ref('stg_crm__orders') }}
),

currency_rates as (
    select * from {{ ref('currency_rates') }}
),

changed_journeys as (  -- noqa: ST03
    select * from {{ ref('int_changed_journeys') }}
),

changed_subscriptions as (  -- noqa: ST03
    select * from {{ ref('int_changed_subscriptions') }}
),

changed_orders as (  -- noqa: ST03
    select * from {{ ref('int_changed_orders') }}
),

survey_responses as {{ cx_cte_inlined() }} (
    select * from {{ ref('int_survey_responses_linked') }}
),

journey_scores as (
    -- SPEC §4.5: a journey's score of each survey type is its latest linked response of that type
    -- (is_journey_score); stored here so that no reader joins the responses again (issue #22). Every journey's,
    -- grouped once: a night compares them with the stored ones below and joins the recomputed journeys to them.
    select
        journey_id,
        max(case when survey_type = 'ces' then score_rescaled end) as ces_score,
        max(case when survey_type = 'csat' then score_rescaled end) as csat_score,
        max(case when survey_type = 'nps' then score_rescaled end) as nps_score
    from survey_responses
    where is_journey_score
    group by journey_id
),
{%- if is_incremental() %}

stored_scores as (
    select
        journey_id,
        ces_score,
        csat_score,
        nps_score
    from {{ this }}
    where ces_score is not null or csat_score is not null or nps_score is not null
),

journeys_to_recompute as (
    select journey_id
    from changed_journeys
    union
    select stored.journey_id
    from {{ this }} as stored
    cross join as_of
    where stored.is_matured <> ({{ cx_is_matured('stored.ended_at', 'as_of.as_of') }})
    union
    -- every customer a subscription delivered tonight was ever delivered with: its spells, and so the activity
    -- of each of its journeys, may change
    select stored.journey_id
    from {{ this }} as stored
    where stored.customer_id in (select changed_subscriptions.customer_id from changed_subscriptions)
    union
    -- an order counts for a journey only inside its purchase window: the journeys of each customer an order
    -- delivered tonight was ever delivered with whose window holds one of its delivered order times (old or new;
    -- all of the customer's journeys made a night at L recompute 147 k journeys for 29 k orders, 39 k this way)
    select stored.journey_id
    from {{ this }} as stored
    inner join changed_orders
        on
            stored.customer_id = changed_orders.customer_id
            and {{ cx_in_purchase_window('stored.ended_at', 'changed_orders.ordered_at') }}
    union
    -- every journey whose stored survey scores differ from those its linked responses give now: a response
    -- linked, linked again, ranked again or no longer accepted tonight (int_survey_responses_linked is
    -- incremental too; a journey whose last response left it has stored scores and none now)
    select coalesce(journey_scores.journey_id, stored_scores.journey_id) as journey_id
    from journey_scores
    full outer join stored_scores
        on journey_scores.journey_id = stored_scores.journey_id
    where
        journey_scores.journey_id is null
        or stored_scores.journey_id is null
        or journey_scores.ces_score is distinct from stored_scores.ces_score
        or journey_scores.csat_score is distinct from stored_scores.csat_score
        or journey_scores.nps_score is distinct from stored_scores.nps_score
),
{%- endif %}

attempts as (
    select all_attempts.*
    from all_attempts
    {%- if is_incremental() %}
    where all_attempts.journey_id in (select journeys_to_recompute.journey_id from journeys_to_recompute)
    {%- endif %}
),

first_attempts as (
    -- what a journey takes from its first attempt, read off that row (a max(case ...) over every attempt in the
    -- aggregate below held each journey's strings in its state); its customer and intent are every attempt's
    -- (SPEC §4.1: a journey is one customer's attempts about one intent; an unidentified attempt is its own)
    select
        journey_id,
        customer_id,
        intent,
        intent_group,
        attempt_id as first_attempt_id,
        channel,
        ai_interaction_type,
        attempt_date as journey_date,
        final_disposition as first_attempt_disposition,
        transfers as first_attempt_transfers,
        handled_contacts as first_attempt_handled_contacts,
        handle_seconds as first_attempt_handle_seconds
    from attempts
    where attempt_number = 1
),

channel_switches as (
    -- consecutive attempts (by attempt_number) on different channels
    select
        later_attempts.journey_id,
        count(*) as channel_switches
    from attempts as later_attempts
    inner join attempts as earlier_attempts
        on
            later_attempts.journey_id = earlier_attempts.journey_id
            and later_attempts.attempt_number = earlier_attempts.attempt_number + 1
    where
        later_attempts.attempt_number > 1
        and later_attempts.channel <> earlier_attempts.channel
    group by later_attempts.journey_id
),

journey_measures as (
    select
        journey_id,
        bool_and(is_identified) as is_identified,
        bool_or(is_retention_risk) as is_retention_risk,
        min(started_at) as started_at,
        max(ended_at) as ended_at,
        count(*) as attempts,
        -- count(distinct channel), as a flag per channel of the contract (a value outside it fails the
        -- cx_contract_values tests of the attempts and the journeys): no second grouping by journey and channel
        cast(
            0
            {%- for channel in channels %}
                + max(case when channel = '{{ channel }}' then 1 else 0 end)
            {%- endfor %}
            as {{ dbt.type_bigint() }}
        ) as channels_used,
        {{ cx_max_by('attempt_id', 'attempt_number') }} as last_attempt_id,
        {{ cx_max_by('final_disposition', 'attempt_number') }} as last_attempt_disposition,
        bool_or(
            ai_interaction_type in (
                '{{ ai_types | join("', '") }}'
            )
        )
            as any_ai_involved,
        cast(sum(transfers) as {{ dbt.type_bigint() }}) as transfers,
        cast(sum(ivr_steps) as {{ dbt.type_bigint() }}) as ivr_steps,
        {{ cx_sum('queue_wait_seconds') }} / 60.0 as queue_wait_minutes,
        {{ cx_sum('hold_seconds') }} / 60.0 as hold_minutes,
        cast(sum(failed_auths) as {{ dbt.type_bigint() }}) as failed_auths,
        {%- for ai_type in path_types %}
            min(case when ai_interaction_type = '{{ ai_type }}' then attempt_number end)
                as {{ path_positions[loop.index0] }}{%- if not loop.last %},{% endif %}
        {%- endfor %}
    from attempts
    group by journey_id
),

rolled_up as (
    select
        journey_measures.journey_id,
        first_attempts.customer_id,
        journey_measures.is_identified,
        first_attempts.intent,
        first_attempts.intent_group,
        journey_measures.is_retention_risk,
        journey_measures.started_at,
        journey_measures.ended_at,
        journey_measures.attempts,
        journey_measures.channels_used,
        coalesce(channel_switches.channel_switches, 0) as channel_switches,
        first_attempts.first_attempt_id,
        journey_measures.last_attempt_id,
        first_attempts.channel,
        first_attempts.ai_interaction_type,
        first_attempts.journey_date,
        first_attempts.first_attempt_disposition,
        first_attempts.first_attempt_transfers,
        first_attempts.first_attempt_handled_contacts,
        first_attempts.first_attempt_handle_seconds,
        journey_measures.last_attempt_disposition,
        journey_measures.any_ai_involved,
        journey_measures.transfers,
        journey_measures.ivr_steps,
        journey_measures.queue_wait_minutes,
        journey_measures.hold_minutes,
        journey_measures.failed_auths,
        -- the distinct AI types of the journey's attempts, in the order they first occur
        {{ cx_path_by_first_position(path_types, journey_path_positions, '>') }} as ai_path
    from journey_measures
    left join first_attempts
        on journey_measures.journey_id = first_attempts.journey_id
    left join channel_switches
        on journey_measures.journey_id = channel_switches.journey_id
),

weights_pivoted as (
    select
        {%- for component in cx_effort_components() %}
            coalesce(max(case when component = '{{ component }}' then weight end), 0)
                as {{ component }}_weight,
            coalesce(max(case when component = '{{ component }}' then free_allowance end), 0)
                as {{ component }}_free_allowance,
        {%- endfor %}
        count(*) as components
    from effort_weights
),

flagged as (
    select
        rolled_up.*,
        rolled_up.attempts - 1 as extra_attempts,
        {{ dbt.date_trunc('month', 'rolled_up.journey_date') }} as journey_month,
        {{ cx_is_matured('rolled_up.ended_at', 'as_of.as_of') }} as is_matured,
        rolled_up.attempts = 1 and rolled_up.first_attempt_disposition = 'resolved' as is_fcr,
        coalesce(rolled_up.last_attempt_disposition = 'resolved', false) as is_resolved,
        rolled_up.attempts >= 2 as is_repeat,
        rolled_up.channels_used >= 2 as is_channel_hopping
    from rolled_up
    cross join as_of
),

effort_scored as (
    select
        flagged.*,
        0
        {%- for component in cx_effort_components() %}
            + weights_pivoted.{{ component }}_weight
            * greatest(0, flagged.{{ component }} - weights_pivoted.{{ component }}_free_allowance)
        {%- endfor %}
            as effort_index
    from flagged
    cross join weights_pivoted
),

journeys_scored as (
    select
        journey_id,
        customer_id,
        {{ cx_customer_key('customer_id') }} as customer_key,
        is_identified,
        intent,
        intent_group,
        is_retention_risk,
        started_at,
        ended_at,
        journey_date,
        cast(journey_month as date) as journey_month,
        first_attempt_id,
        last_attempt_id,
        channel,
        ai_interaction_type,
        ai_path,
        any_ai_involved,
        attempts,
        channels_used,
        channel_switches,
        is_matured,
        is_identified and not is_matured as is_pending,
        coalesce(is_fcr, false) as is_fcr,
        coalesce(is_fcr and first_attempt_transfers = 0, false) as is_one_touch,
        is_resolved,
        is_repeat,
        is_channel_hopping,
        first_attempt_disposition,
        last_attempt_disposition,
        first_attempt_transfers,
        first_attempt_handled_contacts,
        first_attempt_handle_seconds,
        extra_attempts,
        transfers,
        ivr_steps,
        queue_wait_minutes,
        hold_minutes,
        failed_auths,
        effort_index,
        effort_index >= {{ var('high_effort_threshold') }} as is_high_effort,
        {{ cx_effort_band('effort_index') }} as effort_band,
        {{ cx_effort_band_order('effort_index') }} as effort_band_order
    from effort_scored
),

journey_spells as (
    -- SPEC §4.6: every spell of the journey's customer, with what each of them covers
    select
        journeys_scored.journey_id,
        spells.spell_started_at,
        spells.spell_ended_at,
        spells.spell_started_at <= journeys_scored.started_at
        and (spells.spell_ended_at is null or spells.spell_ended_at > journeys_scored.started_at)
            as covers_start,
        spells.spell_started_at <= journeys_scored.ended_at
        and (spells.spell_ended_at is null or spells.spell_ended_at > journeys_scored.ended_at)
            as covers_end,
        {%- for n in horizons %}
            spells.spell_started_at <= {{ dbt.dateadd('day', n, 'journeys_scored.ended_at') }}
            and (
                spells.spell_ended_at is null
                or spells.spell_ended_at > {{ dbt.dateadd('day', n, 'journeys_scored.ended_at') }}
            )
                as covers_{{ n }}d,
        {%- endfor %}
        spells.spell_started_at <= {{ dbt.dateadd('day', protection_days, 'journeys_scored.ended_at') }}
        and (
            spells.spell_ended_at is null
            or spells.spell_ended_at > {{ dbt.dateadd('day', protection_days, 'journeys_scored.ended_at') }}
        )
            as covers_protection_horizon
    from journeys_scored
    inner join spells
        on journeys_scored.customer_id = spells.customer_id
),

activity_rolled_up as (
    select
        journey_id,
        {{ dbt.bool_or('covers_start') }} as is_active_at_start,
        {{ dbt.bool_or('covers_end') }} as is_active_at_end,
        {%- for n in horizons %}
            {{ dbt.bool_or('covers_' ~ n ~ 'd') }} as is_active_at_{{ n }}d,
        {%- endfor %}
        {{ dbt.bool_or('covers_protection_horizon') }} as is_active_at_protection_horizon,
        -- the end of the spell that contains the origin (null when it is still going)
        max(case when covers_end then spell_ended_at end) as origin_spell_ended_at
    from journey_spells
    group by journey_id
),

mrr_at_start as (
    -- each subscription active at the journey's start, at the version in force at the start
    select
        journeys_scored.journey_id,
        12 * {{ cx_sum('subscription_versions.mrr_reporting') }} as annualised_mrr_at_start
    from journeys_scored
    inner join subscription_versions
        on
            journeys_scored.customer_id = subscription_versions.customer_id
            and journeys_scored.started_at >= subscription_versions.subscription_started_at
            and (
                subscription_versions.subscription_cancelled_at is null
                or journeys_scored.started_at < subscription_versions.subscription_cancelled_at
            )
            and (
                subscription_versions.valid_from is null
                or journeys_scored.started_at >= subscription_versions.valid_from
            )
            and (
                subscription_versions.valid_to is null
                or journeys_scored.started_at < subscription_versions.valid_to
            )
    group by journeys_scored.journey_id
),

completed_orders as (
    select
        orders.customer_id,
        orders.ordered_at,
        orders.amount * currency_rates.rate_to_reporting_currency as amount_reporting
    from orders
    inner join currency_rates
        on orders.currency = currency_rates.currency
    where orders.status = 'completed'
),

orders_in_window as (
    select
        journeys_scored.journey_id,
        count(*) as orders_90d,
        {{ cx_sum('completed_orders.amount_reporting') }} as revenue_90d
    from journeys_scored
    inner join completed_orders
        on
            journeys_scored.customer_id = completed_orders.customer_id
            and {{ cx_in_purchase_window('journeys_scored.ended_at', 'completed_orders.ordered_at') }}
    group by journeys_scored.journey_id
),

final as (
    select
        journeys_scored.*,
        coalesce(activity_rolled_up.is_active_at_start, false) as is_active_at_start,
        coalesce(activity_rolled_up.is_active_at_end, false) as is_active_at_end,
        {%- for n in horizons %}
            coalesce(activity_rolled_up.is_active_at_{{ n }}d, false) as is_active_at_{{ n }}d,
        {%- endfor %}
        coalesce(activity_rolled_up.is_active_at_protection_horizon, false) as is_active_at_protection_horizon,
        activity_rolled_up.origin_spell_ended_at,
        mrr_at_start.annualised_mrr_at_start,
        coalesce(orders_in_window.orders_90d, 0) as orders_90d,
        coalesce(orders_in_window.revenue_90d, 0) as revenue_90d,
        journey_scores.ces_score,
        journey_scores.csat_score,
        journey_scores.nps_score,
        {{ cx_batch_at() }} as _batch_at
    from journeys_scored
    left join activity_rolled_up
        on journeys_scored.journey_id = activity_rolled_up.journey_id
    left join mrr_at_start
        on journeys_scored.journey_id = mrr_at_start.journey_id
    left join orders_in_window
        on journeys_scored.journey_id = orders_in_window.journey_id
    left join journey_scores
        on journeys_scored.journey_id = journey_scores.journey_id
)

select * from final
