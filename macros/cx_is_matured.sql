{% macro cx_is_matured(ended_at, as_of) -%}
    {#- SPEC §4.3: a journey is matured when its repeat-contact window has passed by as_of
        (as_of >= ended_at + repeat_contact_window_days). The one definition: the journey models compute
        is_matured with it, and the incremental ones find the stored journeys whose maturity flipped with it. -#}
    {{ as_of }} >= {{ dbt.dateadd('day', var('repeat_contact_window_days'), ended_at) }}
{%- endmacro %}
