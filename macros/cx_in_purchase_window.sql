{% macro cx_in_purchase_window(ended_at, ordered_at) -%}
    {#- SPEC §4.6: an order counts for a journey when it falls in (ended_at, ended_at + purchase_window_days]. The
        one definition, as cx_is_matured is for maturity: int_journeys_aggregated sums the orders in the window with
        it, and its incremental run finds the stored journeys a changed order's time falls in with it. -#}
    ({{ ended_at }} < {{ ordered_at }}
    and {{ dbt.dateadd('day', var('purchase_window_days'), ended_at) }} >= {{ ordered_at }})
{%- endmacro %}
