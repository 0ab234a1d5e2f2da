{% macro cx_trim(expression) -%}
    {{ return(adapter.dispatch('cx_trim', 'cx_outcomes')(expression)) }}
{%- endmacro %}

{% macro default__cx_trim(expression) -%}
    trim({{ expression }})
{%- endmacro %}

{% macro duckdb__cx_trim(expression) -%}
    {#- Strips all leading/trailing whitespace (space, tab, newline, carriage return, form feed, vertical tab):
        DuckDB's one-argument trim() strips spaces only, and a key of '\t ' must count as empty (SPEC §6).
        The two-argument trim() copies every string (≈ 3× the cost of reading the column: 20 % of the events'
        staging at scale M), so it only runs when the first or last character is one of those; otherwise the
        value is returned as it is (the same result: trim only ever removes characters at the ends). The test is
        written as ranges, not `in (9, …, 32)`: DuckDB plans that IN list as a join, which a query that does not
        read the column cannot prune (every read of stg_platform__contact_events parsed every attribute). -#}
    case
        when
            ascii({{ expression }}) between 9 and 13
            or ascii({{ expression }}) = 32
            or ascii(reverse({{ expression }})) between 9 and 13
            or ascii(reverse({{ expression }})) = 32
            then trim({{ expression }}, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))
        else {{ expression }}
    end
{%- endmacro %}

{% macro spark__cx_trim(expression) -%}
    {#- Spark's one-argument trim() strips spaces only: strip the same six whitespace characters as DuckDB. -#}
    trim(both concat(' ', char(9), char(10), char(11), char(12), char(13)) from {{ expression }})
{%- endmacro %}
