{% macro cx_print_raw_contract() -%}
    {#- Prints cx_raw_contract() as one JSON line, for scripts/nightly.py's landing-zone check. -#}
    {{ print(tojson(cx_raw_contract())) }}
{%- endmacro %}
