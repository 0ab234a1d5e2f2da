{% macro cx_business_seconds(relation, key_column, start_column, end_column, schedule_column) -%}
    {#- A select of (key_column, business_seconds): for each row of `relation`, the seconds of
        [start_column, end_column) that fall inside its schedule's business hours (int_business_hours_intervals:
        weekly intervals in the schedule's time zone, daylight saving applied, holidays removed). A row whose
        start or end is null, or whose end is not after its start, has null. Portable SQL: a range join and a sum. -#}
    select
        spans.{{ key_column }},
        case
            when max(spans.{{ start_column }}) is null or max(spans.{{ end_column }}) is null then null
            when max(spans.{{ end_column }}) <= max(spans.{{ start_column }}) then null
            -- greatest / least skip nulls: an unmatched row (no interval) must add nothing, not the whole span
            else coalesce(sum(case when intervals.schedule_id is not null then {{ cx_seconds_between(
                'greatest(intervals.interval_start_at, spans.' ~ start_column ~ ')',
                'least(intervals.interval_end_at, spans.' ~ end_column ~ ')') }} end), 0)
        end as business_seconds
    from {{ relation }} as spans
    left join {{ ref('int_business_hours_intervals') }} as intervals
        on
            intervals.schedule_id = spans.{{ schedule_column }}
            and intervals.interval_start_at < spans.{{ end_column }}
            and intervals.interval_end_at > spans.{{ start_column }}
    group by spans.{{ key_column }}
{%- endmacro %}
