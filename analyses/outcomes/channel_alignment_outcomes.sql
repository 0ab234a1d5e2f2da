-- Do customers do better on the channel they prefer?
-- Month by month, journeys that started on the customer's preferred channel (aligned) against those that did not:
-- FCR, behavioural effort and CSAT, re-aggregated from the mart's numerators and denominators.
with

preference as (
    select * from {{ ref('mart_channel_preference') }}
),

preference_labelled as (
    select
        *,
        case
            when is_aligned then 'aligned'
            when not is_aligned then 'misaligned'
            else 'unknown preference'
        end as alignment
    from preference
),

by_alignment as (
    select
        month,
        alignment,
        sum(matured_journeys) as matured_journeys,
        sum(fcr_journeys) as fcr_journeys,
        sum(effort_index_total) as effort_index_total,
        sum(csat_journeys) as csat_journeys,
        sum(csat_total) as csat_total
    from preference_labelled
    group by month, alignment
),

final as (
    select
        month,
        alignment,
        matured_journeys,
        round({{ cx_safe_divide('fcr_journeys', 'matured_journeys') }}, 3) as fcr_rate,
        round({{ cx_safe_divide('effort_index_total', 'matured_journeys') }}, 2) as avg_effort_index,
        csat_journeys,
        round({{ cx_safe_divide('csat_total', 'csat_journeys') }}, 2) as avg_csat
    from by_alignment
)

select * from final
order by month, alignment
