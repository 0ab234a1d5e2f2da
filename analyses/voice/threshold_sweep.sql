{#- Threshold sweep for var('synthetic_voice_risk_threshold') (SPEC §4.9): for each candidate threshold from
    0.50 to 0.95 in steps of 0.05, how many voice attempts would be flagged, and how the flag would compare with
    confirmed fraud (true positives, false positives, missed fraud, precision, recall). Confirmed fraud does not
    depend on the threshold, so one build is enough:
        dbt compile --select threshold_sweep
    then run target/compiled/cx_outcomes/analyses/voice/threshold_sweep.sql against the warehouse. -#}
{%- set thresholds = [] %}
{%- for step in range(10) %}
    {%- do thresholds.append('%.2f' | format(0.50 + 0.05 * step)) %}
{%- endfor %}
{%- set threshold_rows = '(' ~ thresholds | join('), (') ~ ')' %}
with

voice_attempts as (
    select * from {{ ref('int_voice_attempts_scored') }}
),

thresholds as (
    select cast(candidate_thresholds.threshold as double) as threshold
    from (values {{ threshold_rows }}) as candidate_thresholds (threshold)
),

attempts_flagged_at_threshold as (
    select
        thresholds.threshold,
        voice_attempts.attempt_id,
        voice_attempts.is_confirmed_fraud,
        coalesce(voice_attempts.max_synthetic_voice_score >= thresholds.threshold, false) as is_flagged
    from thresholds
    cross join voice_attempts
),

swept as (
    select
        threshold,
        count(*) as voice_attempts,
        count(case when is_flagged then 1 end) as flagged_attempts,
        count(case when is_confirmed_fraud then 1 end) as fraud_attempts,
        count(case when is_flagged and is_confirmed_fraud then 1 end) as true_positives,
        count(case when is_flagged and not is_confirmed_fraud then 1 end) as false_positives,
        count(case when is_confirmed_fraud and not is_flagged then 1 end) as missed_fraud
    from attempts_flagged_at_threshold
    group by threshold
),

final as (
    select
        threshold,
        voice_attempts,
        flagged_attempts,
        {{ cx_safe_divide('flagged_attempts', 'voice_attempts') }} as flag_rate,
        fraud_attempts,
        true_positives,
        false_positives,
        missed_fraud,
        {{ cx_safe_divide('true_positives', 'flagged_attempts') }} as precision,
        {{ cx_safe_divide('true_positives', 'fraud_attempts') }} as recall,
        threshold = cast({{ var('synthetic_voice_risk_threshold') }} as double) as is_current_threshold
    from swept
)

select * from final
order by threshold
