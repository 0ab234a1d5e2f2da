{% macro cx_connect_resolution_group(case_id_column, attempt_id_column) -%}
    {#- Amazon Connect's unit of first-contact resolution as the records allow it (SPEC §8.2): the case, when the
        contact carries one, else its initial contact's chain (the attempt) -#}
    coalesce('case:' || {{ case_id_column }}, 'chain:' || {{ attempt_id_column }})
{%- endmacro %}
