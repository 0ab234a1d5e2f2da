{% macro cx_effort_components() -%}
    {#- The behavioural effort components of SPEC §4.5, in report order. Each must have a row in the
        effort_weights seed (weight, free_allowance); journeys carry one amount column per component. -#}
    {{ return(['extra_attempts', 'channel_switches', 'transfers', 'ivr_steps', 'queue_wait_minutes',
               'hold_minutes', 'failed_auths']) }}
{%- endmacro %}
