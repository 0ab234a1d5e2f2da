{% macro cx_quarantine_reasons() -%}
    {#- The SPEC §6 quarantine reasons, in the order cx_stage_source checks them (a row gets the first it fails):
        the one list; cx_stage_source stops the build if it checks a reason that is not here, and the data tests
        of every _quarantine_reason / reason column accept exactly these. -#}
    {{ return([
        'missing_key', 'missing_value', 'invalid_timestamp', 'unknown_enum', 'time_order', 'after_load',
        'score_out_of_range', 'malformed_json', 'negative_amount', 'orphan',
    ]) }}
{%- endmacro %}
