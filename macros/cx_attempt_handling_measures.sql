{% macro cx_attempt_handling_measures() -%}
    {#- The per-attempt legacy measures of SPEC §4.3, summed over the attempts of a group (fct_attempts rows):
        attempts, abandoned attempts (final disposition abandoned), handled contacts and their handle seconds
        (connected_to_agent_at → disconnected_at), for AHT = handle_seconds_total / handled_contacts. One
        definition for every mart that reports them. -#}
    count(*) as attempts,
    count(case when final_disposition = 'abandoned' then 1 end) as abandoned_attempts,
    cast(coalesce(sum(handled_contacts), 0) as {{ dbt.type_bigint() }}) as handled_contacts,
    coalesce({{ cx_sum('handle_seconds') }}, 0) as handle_seconds_total
{%- endmacro %}
