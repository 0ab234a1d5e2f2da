-- The legacy dashboard next to the accountable one, month by month.
-- Deflection and bot containment (attempts, no maturity) look at whether a human was avoided; FCR and contained
-- resolution (matured journeys) look at whether the customer's problem was solved. Recent months have fewer matured
-- journeys: their journey columns are not final until the repeat window has passed.
with

deflection as (
    select * from {{ ref('mart_deflection_vs_resolution') }}
),

deflection_by_month as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'attempt_date') }} as date) as month
    from deflection
),

monthly as (
    select
        month,
        sum(attempts) as attempts,
        sum(deflected_attempts) as deflected_attempts,
        sum(bot_attempts) as bot_attempts,
        sum(contained_attempts) as contained_attempts,
        sum(abandoned_attempts) as abandoned_attempts,
        sum(handled_contacts) as handled_contacts,
        sum(handle_seconds_total) as handle_seconds_total,
        sum(matured_journeys) as matured_journeys,
        sum(fcr_journeys) as fcr_journeys,
        sum(contained_journeys) as contained_journeys,
        sum(contained_resolved_journeys) as contained_resolved_journeys
    from deflection_by_month
    group by month
),

final as (
    select
        month,
        attempts,
        round({{ cx_safe_divide('deflected_attempts', 'attempts') }}, 3) as deflection_rate,
        round({{ cx_safe_divide('contained_attempts', 'bot_attempts') }}, 3) as bot_containment_rate,
        round({{ cx_safe_divide('abandoned_attempts', 'attempts') }}, 3) as abandonment_rate,
        round({{ cx_safe_divide('handle_seconds_total', 'handled_contacts') }}, 0) as aht_seconds,
        matured_journeys,
        round({{ cx_safe_divide('fcr_journeys', 'matured_journeys') }}, 3) as fcr_rate,
        round({{ cx_safe_divide('contained_resolved_journeys', 'contained_journeys') }}, 3)
            as contained_resolution_rate
    from monthly
)

select * from final
order by month
