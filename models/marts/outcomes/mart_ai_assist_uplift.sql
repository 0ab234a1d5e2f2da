{#- SPEC §4.4: journeys whose first attempt was ai_assisted_agent vs human_only (matured, identified), by month
    of the journey's start and intent group, plus an intent_group = 'all' row per month. Raw uplift = assisted
    rate - human rate. Standardised uplift = Σ_i w_i × (assisted_i − human_i) over the INTENTS i of the row where
    the metric is defined on both sides, w_i = intent i's journeys of both types / Σ of those over the same
    intents (journey counts weight FCR, AHT and CSAT alike); null when no intent qualifies. -#}
{%- set sides = {'assisted': 'ai_assisted_agent', 'human': 'human_only'} -%}
{%- set metrics = ['fcr', 'aht', 'csat'] -%}
with

journeys as (
    select * from {{ ref('fct_journeys') }}
),

compared_journeys as (
    select
        journey_month as month,
        intent_group,
        intent,
        case ai_interaction_type
            {%- for side, ai_type in sides.items() %}
                when '{{ ai_type }}' then '{{ side }}'
            {%- endfor %}
        end as compared_side,
        is_fcr,
        coalesce(first_attempt_handled_contacts, 0) as handled_contacts,
        coalesce(first_attempt_handle_seconds, 0) as handle_seconds,
        csat_score
    from journeys
    where is_identified and is_matured
),

intents_aggregated as (
    select
        month,
        intent_group,
        intent,
        {%- for side in sides %}
            count(case when compared_side = '{{ side }}' then 1 end) as {{ side }}_journeys,
            count(case when compared_side = '{{ side }}' and is_fcr then 1 end) as {{ side }}_fcr_journeys,
            coalesce(sum(case when compared_side = '{{ side }}' then handled_contacts end), 0)
                as {{ side }}_handled_contacts,
            coalesce({{ cx_sum("case when compared_side = '" ~ side ~ "' then handle_seconds end") }}, 0)
                as {{ side }}_handle_seconds_total,
            count(case when compared_side = '{{ side }}' then csat_score end) as {{ side }}_csat_journeys,
            -- cx_sum: a plain sum of doubles depends on how rows were split across threads (SPEC §4.7)
            coalesce({{ cx_sum("case when compared_side = '" ~ side ~ "' then csat_score end") }}, 0)
                as {{ side }}_csat_total,
        {%- endfor %}
        count(*) as weight_journeys
    from compared_journeys
    where compared_side is not null
    group by month, intent_group, intent
),

intents_compared as (
    -- per intent: the differences, null unless the metric is defined on both sides
    select
        *,
        {{ cx_safe_divide('assisted_fcr_journeys', 'assisted_journeys') }}
        - {{ cx_safe_divide('human_fcr_journeys', 'human_journeys') }} as fcr_difference,
        {{ cx_safe_divide('assisted_handle_seconds_total', 'assisted_handled_contacts') }}
        - {{ cx_safe_divide('human_handle_seconds_total', 'human_handled_contacts') }} as aht_difference,
        {{ cx_safe_divide('assisted_csat_total', 'assisted_csat_journeys') }}
        - {{ cx_safe_divide('human_csat_total', 'human_csat_journeys') }} as csat_difference
    from intents_aggregated
),

rollup_levels as (
    select 'intent_group' as rollup_level
    union all
    select 'all' as rollup_level
),

intents_rolled_up as (
    -- each intent counts in its own group's row and in the month's 'all' row
    select
        intents_compared.*,
        case
            when rollup_levels.rollup_level = 'all' then 'all'
            else intents_compared.intent_group
        end as row_intent_group
    from intents_compared
    cross join rollup_levels
),

rows_aggregated as (
    select
        month,
        row_intent_group as intent_group,
        {%- for side in sides %}
            cast(sum({{ side }}_journeys) as {{ dbt.type_bigint() }}) as {{ side }}_journeys,
            cast(sum({{ side }}_fcr_journeys) as {{ dbt.type_bigint() }}) as {{ side }}_fcr_journeys,
            cast(sum({{ side }}_handled_contacts) as {{ dbt.type_bigint() }}) as {{ side }}_handled_contacts,
            {{ cx_sum(side ~ '_handle_seconds_total') }} as {{ side }}_handle_seconds_total,
            cast(sum({{ side }}_csat_journeys) as {{ dbt.type_bigint() }}) as {{ side }}_csat_journeys,
            {{ cx_sum(side ~ '_csat_total') }} as {{ side }}_csat_total,
        {%- endfor %}
        {%- for metric in metrics %}
            -- Σ n_i × difference_i and Σ n_i over the intents where the metric is defined on both sides
            {{ cx_sum('weight_journeys * ' ~ metric ~ '_difference') }} as {{ metric }}_weighted_difference,
            cast(
                sum(case when {{ metric }}_difference is not null then weight_journeys end)
                as {{ dbt.type_bigint() }}
            ) as {{ metric }}_weight_journeys,
            count({{ metric }}_difference) as {{ metric }}_standardised_intents,
        {%- endfor %}
        count(*) as intents
    from intents_rolled_up
    group by month, row_intent_group
),

rates_computed as (
    select
        *,
        {{ cx_safe_divide('assisted_fcr_journeys', 'assisted_journeys') }} as assisted_fcr_rate,
        {{ cx_safe_divide('human_fcr_journeys', 'human_journeys') }} as human_fcr_rate,
        {{ cx_safe_divide('assisted_handle_seconds_total', 'assisted_handled_contacts') }} as assisted_aht_seconds,
        {{ cx_safe_divide('human_handle_seconds_total', 'human_handled_contacts') }} as human_aht_seconds,
        {{ cx_safe_divide('assisted_csat_total', 'assisted_csat_journeys') }} as assisted_avg_csat,
        {{ cx_safe_divide('human_csat_total', 'human_csat_journeys') }} as human_avg_csat,
        {{ cx_safe_divide('fcr_weighted_difference', 'fcr_weight_journeys') }} as fcr_uplift_standardised,
        {{ cx_safe_divide('aht_weighted_difference', 'aht_weight_journeys') }} as aht_uplift_standardised,
        {{ cx_safe_divide('csat_weighted_difference', 'csat_weight_journeys') }} as csat_uplift_standardised
    from rows_aggregated
),

final as (
    select
        month,
        intent_group,
        assisted_journeys,
        assisted_fcr_journeys,
        assisted_fcr_rate,
        human_journeys,
        human_fcr_journeys,
        human_fcr_rate,
        assisted_fcr_rate - human_fcr_rate as fcr_uplift,
        fcr_uplift_standardised,
        fcr_standardised_intents,
        fcr_weight_journeys,
        assisted_handled_contacts,
        assisted_handle_seconds_total,
        assisted_aht_seconds,
        human_handled_contacts,
        human_handle_seconds_total,
        human_aht_seconds,
        assisted_aht_seconds - human_aht_seconds as aht_uplift,
        aht_uplift_standardised,
        aht_standardised_intents,
        aht_weight_journeys,
        assisted_csat_journeys,
        assisted_csat_total,
        assisted_avg_csat,
        human_csat_journeys,
        human_csat_total,
        human_avg_csat,
        assisted_avg_csat - human_avg_csat as csat_uplift,
        csat_uplift_standardised,
        csat_standardised_intents,
        csat_weight_journeys
    from rates_computed
)

select * from final
