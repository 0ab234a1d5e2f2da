-- Σ of every count of mart_first_contact_resolution equals the same count over fct_journeys (all journeys,
-- identified, matured identified, pending, and the matured identified FCR / one-touch / resolved / repeat /
-- hopping journeys).
{{ config(tags=['reconciliation'], severity='warn') }}
with

mart as (
    select * from {{ ref('mart_first_contact_resolution') }}
),

journeys as (
    select * from {{ ref('fct_journeys') }}
),

mart_totals as (
    select
        coalesce(sum(journeys), 0) as journeys,
        coalesce(sum(identified_journeys), 0) as identified_journeys,
        coalesce(sum(matured_journeys), 0) as matured_journeys,
        coalesce(sum(pending_journeys), 0) as pending_journeys,
        coalesce(sum(fcr_journeys), 0) as fcr_journeys,
        coalesce(sum(one_touch_journeys), 0) as one_touch_journeys,
        coalesce(sum(resolved_journeys), 0) as resolved_journeys,
        coalesce(sum(repeat_journeys), 0) as repeat_journeys,
        coalesce(sum(channel_hopping_journeys), 0) as channel_hopping_journeys
    from mart
),

journey_totals as (
    select
        count(*) as journeys,
        count(case when is_identified then 1 end) as identified_journeys,
        count(case when is_identified and is_matured then 1 end) as matured_journeys,
        count(case when is_identified and not is_matured then 1 end) as pending_journeys,
        count(case when is_identified and is_matured and is_fcr then 1 end) as fcr_journeys,
        count(case when is_identified and is_matured and is_one_touch then 1 end) as one_touch_journeys,
        count(case when is_identified and is_matured and is_resolved then 1 end) as resolved_journeys,
        count(case when is_identified and is_matured and is_repeat then 1 end) as repeat_journeys,
        count(case when is_identified and is_matured and is_channel_hopping then 1 end) as channel_hopping_journeys
    from journeys
),

compared as (
    select
        mart_totals.*,
        journey_totals.journeys as expected_journeys,
        journey_totals.identified_journeys as expected_identified_journeys,
        journey_totals.matured_journeys as expected_matured_journeys,
        journey_totals.pending_journeys as expected_pending_journeys,
        journey_totals.fcr_journeys as expected_fcr_journeys,
        journey_totals.one_touch_journeys as expected_one_touch_journeys,
        journey_totals.resolved_journeys as expected_resolved_journeys,
        journey_totals.repeat_journeys as expected_repeat_journeys,
        journey_totals.channel_hopping_journeys as expected_channel_hopping_journeys
    from mart_totals
    cross join journey_totals
)

select * from compared
where
    journeys <> expected_journeys
    or identified_journeys <> expected_identified_journeys
    or matured_journeys <> expected_matured_journeys
    or pending_journeys <> expected_pending_journeys
    or fcr_journeys <> expected_fcr_journeys
    or one_touch_journeys <> expected_one_touch_journeys
    or resolved_journeys <> expected_resolved_journeys
    or repeat_journeys <> expected_repeat_journeys
    or channel_hopping_journeys <> expected_channel_hopping_journeys
