{% macro spark__escape_single_quotes(expression) -%}
    {#- Overrides dbt-spark's escape_single_quotes (how dbt writes a unit test's fixture values as string
        literals): Spark's string literals read backslash escapes, so a backslash in the value is doubled too, and
        a value such as JSON text with escaped quotes ({"a":"\"x\""}) arrives as written, as on DuckDB. -#}
    {{ expression | replace('\\', '\\\\') | replace("'", "\\'") }}
{%- endmacro %}
