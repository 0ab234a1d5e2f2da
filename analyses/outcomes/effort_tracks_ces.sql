-- Does behavioural effort track what customers say (CES)?
-- Mean survey CES (1–7, 7 = easy) by behavioural effort band, with the change from the previous band: the index is
-- calibrated when CES falls at every step (is_falling true throughout). Bands with too few CES answers are flagged,
-- since a mean of two or three scores proves little. The last column is the Pearson correlation between a band's
-- order and its mean CES over the bands that have one (expected clearly negative).
with

calibration as (
    select * from {{ ref('mart_effort_calibration') }}
),

bands_compared as (
    select
        effort_band,
        band_order,
        matured_journeys,
        ces_journeys,
        avg_effort_index,
        avg_ces,
        avg_ces - lag(avg_ces) over (order by band_order) as ces_change_from_previous_band
    from calibration
),

correlation as (
    select corr(cast(band_order as double), avg_ces) as band_ces_correlation
    from calibration
    where avg_ces is not null
),

final as (
    select
        bands_compared.effort_band,
        bands_compared.band_order,
        bands_compared.matured_journeys,
        bands_compared.ces_journeys,
        round(bands_compared.avg_effort_index, 2) as avg_effort_index,
        round(bands_compared.avg_ces, 2) as avg_ces,
        round(bands_compared.ces_change_from_previous_band, 2) as ces_change_from_previous_band,
        bands_compared.ces_change_from_previous_band < 0 as is_falling,
        bands_compared.ces_journeys < 30 as is_thin,
        round(correlation.band_ces_correlation, 3) as band_ces_correlation
    from bands_compared
    cross join correlation
)

select * from final
order by band_order
