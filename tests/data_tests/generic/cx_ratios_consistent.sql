{% test cx_ratios_consistent(model, ratios, tolerance=1e-9) %}
{#- SPEC §5's naming rule, checked on a mart's rows: every ratio column (`<x>_rate`, `avg_<x>`, `aht_seconds`,
    `nps`, ...) equals its numerator over its denominator, both columns of the same row.

    `ratios` maps each ratio column to [numerator, denominator] or [numerator, denominator, tolerance] (SQL
    expressions of the model's columns; the tolerance defaults to `tolerance`). A row fails for a ratio when its
    denominator is 0 and the ratio is not null (a zero denominator gives null), when the denominator is positive
    and the ratio is null or further than the tolerance from numerator / denominator, or when the denominator is
    negative or null. Each failing row is the model's row, led by the ratio column it fails on (ratio_column).
    One test per model, not one per ratio column (issue #22: a data test is a dbt node, and each costs a night
    about 30 ms before its SQL runs). -#}
{%- for column, parts in ratios.items() %}
{%- if not loop.first %}

union all
{% endif %}
select
    '{{ column }}' as ratio_column,
    *
from {{ model }}
where not coalesce(
    case
        when {{ parts[1] }} = 0 then {{ column }} is null
        when {{ parts[1] }} > 0
            then abs({{ column }} - ({{ parts[0] }}) * 1.0 / {{ parts[1] }}) < {{ parts[2] if parts | length > 2 else tolerance }}
        else false
    end,
    false
)
{%- endfor %}
{% endtest %}
