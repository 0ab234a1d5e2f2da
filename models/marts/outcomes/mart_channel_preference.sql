{#- SPEC §4.8: FCR, effort and CSAT of matured, identified journeys by the month of their start, the customer's
    preferred channel (latest CRM preference, else most used channel) and the journey's first-attempt channel.
    Aligned = the first attempt used the preferred channel. A journey whose customer has no preferred channel
    at all lands in a preferred_channel = null row with is_aligned = null (unknown, not misaligned). -#}
with

journeys as (
    select * from {{ ref('fct_journeys') }}
),

preferences as (
    -- only the customers with a preferred channel: the left join below gives the others a null preferred_channel
    -- either way, and the filter lets DuckDB hash these 1.4 M rows, not the 5.1 M journeys (scale L)
    select * from {{ ref('int_customers_preferences_resolved') }}
    where preferred_channel is not null
),

rated_journeys as (
    select
        journeys.journey_month as month,
        preferences.preferred_channel,
        journeys.channel,
        journeys.is_fcr,
        journeys.effort_index,
        journeys.csat_score
    from journeys
    left join preferences
        on journeys.customer_key = preferences.customer_key
    where journeys.is_identified and journeys.is_matured
),

aggregated as (
    select
        month,
        preferred_channel,
        channel,
        count(*) as matured_journeys,
        count(case when is_fcr then 1 end) as fcr_journeys,
        coalesce({{ cx_sum('effort_index') }}, 0) as effort_index_total,
        count(csat_score) as csat_journeys,
        coalesce({{ cx_sum('csat_score') }}, 0) as csat_total
    from rated_journeys
    group by month, preferred_channel, channel
),

final as (
    select
        month,
        preferred_channel,
        channel,
        channel = preferred_channel as is_aligned,
        matured_journeys,
        fcr_journeys,
        {{ cx_safe_divide('fcr_journeys', 'matured_journeys') }} as fcr_rate,
        effort_index_total,
        {{ cx_safe_divide('effort_index_total', 'matured_journeys') }} as avg_effort_index,
        csat_journeys,
        csat_total,
        {{ cx_safe_divide('csat_total', 'csat_journeys') }} as avg_csat
    from aggregated
)

select * from final
