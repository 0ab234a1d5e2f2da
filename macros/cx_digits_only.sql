{% macro cx_digits_only(expression) -%}
    {#- The text with every non-digit removed (E.164 digits of a phone number, SPEC §8.1) -#}
    {{ return(cx_regexp_replace_all(expression, '[^0-9]', '')) }}
{%- endmacro %}
