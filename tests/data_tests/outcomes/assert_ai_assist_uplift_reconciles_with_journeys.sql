-- Each month's intent_group = 'all' row of mart_ai_assist_uplift equals the sum of that month's intent-group rows,
-- and Σ of the 'all' rows equals the matured identified ai_assisted_agent / human_only journeys of fct_journeys
-- (journeys, FCR, handled contacts, CSAT journeys).
{{ config(tags=['reconciliation'], severity='warn') }}
with

uplift as (
    select * from {{ ref('mart_ai_assist_uplift') }}
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

group_rows_summed as (
    select
        month,
        sum(assisted_journeys) as assisted_journeys,
        sum(assisted_fcr_journeys) as assisted_fcr_journeys,
        sum(assisted_handled_contacts) as assisted_handled_contacts,
        sum(assisted_csat_journeys) as assisted_csat_journeys,
        sum(human_journeys) as human_journeys,
        sum(human_fcr_journeys) as human_fcr_journeys,
        sum(human_handled_contacts) as human_handled_contacts,
        sum(human_csat_journeys) as human_csat_journeys
    from uplift
    where intent_group <> 'all'
    group by month
),

all_rows as (
    select * from uplift
    where intent_group = 'all'
),

months_compared as (
    select
        coalesce(all_rows.month, group_rows_summed.month) as month,
        'all row vs group rows' as failure
    from all_rows
    full outer join group_rows_summed
        on all_rows.month = group_rows_summed.month
    where
        all_rows.assisted_journeys is distinct from group_rows_summed.assisted_journeys
        or all_rows.assisted_fcr_journeys is distinct from group_rows_summed.assisted_fcr_journeys
        or all_rows.assisted_handled_contacts is distinct from group_rows_summed.assisted_handled_contacts
        or all_rows.assisted_csat_journeys is distinct from group_rows_summed.assisted_csat_journeys
        or all_rows.human_journeys is distinct from group_rows_summed.human_journeys
        or all_rows.human_fcr_journeys is distinct from group_rows_summed.human_fcr_journeys
        or all_rows.human_handled_contacts is distinct from group_rows_summed.human_handled_contacts
        or all_rows.human_csat_journeys is distinct from group_rows_summed.human_csat_journeys
),

all_rows_totals as (
    select
        coalesce(sum(assisted_journeys), 0) as assisted_journeys,
        coalesce(sum(assisted_fcr_journeys), 0) as assisted_fcr_journeys,
        coalesce(sum(assisted_handled_contacts), 0) as assisted_handled_contacts,
        coalesce(sum(assisted_csat_journeys), 0) as assisted_csat_journeys,
        coalesce(sum(human_journeys), 0) as human_journeys,
        coalesce(sum(human_fcr_journeys), 0) as human_fcr_journeys,
        coalesce(sum(human_handled_contacts), 0) as human_handled_contacts,
        coalesce(sum(human_csat_journeys), 0) as human_csat_journeys
    from all_rows
),

journey_totals as (
    select
        count(case when ai_interaction_type = 'ai_assisted_agent' then 1 end) as assisted_journeys,
        count(case when ai_interaction_type = 'ai_assisted_agent' and is_fcr then 1 end) as assisted_fcr_journeys,
        coalesce(sum(case when ai_interaction_type = 'ai_assisted_agent' then first_attempt_handled_contacts end), 0)
            as assisted_handled_contacts,
        count(case when ai_interaction_type = 'ai_assisted_agent' then csat_score end) as assisted_csat_journeys,
        count(case when ai_interaction_type = 'human_only' then 1 end) as human_journeys,
        count(case when ai_interaction_type = 'human_only' and is_fcr then 1 end) as human_fcr_journeys,
        coalesce(sum(case when ai_interaction_type = 'human_only' then first_attempt_handled_contacts end), 0)
            as human_handled_contacts,
        count(case when ai_interaction_type = 'human_only' then csat_score end) as human_csat_journeys
    from journeys
    where is_identified and is_matured
),

totals_compared as (
    select
        cast(null as date) as month,
        'all rows vs fct_journeys' as failure
    from all_rows_totals
    cross join journey_totals
    where
        all_rows_totals.assisted_journeys <> journey_totals.assisted_journeys
        or all_rows_totals.assisted_fcr_journeys <> journey_totals.assisted_fcr_journeys
        or all_rows_totals.assisted_handled_contacts <> journey_totals.assisted_handled_contacts
        or all_rows_totals.assisted_csat_journeys <> journey_totals.assisted_csat_journeys
        or all_rows_totals.human_journeys <> journey_totals.human_journeys
        or all_rows_totals.human_fcr_journeys <> journey_totals.human_fcr_journeys
        or all_rows_totals.human_handled_contacts <> journey_totals.human_handled_contacts
        or all_rows_totals.human_csat_journeys <> journey_totals.human_csat_journeys
),

failing as (
    select * from months_compared
    union all
    select * from totals_compared
)

select * from failing
