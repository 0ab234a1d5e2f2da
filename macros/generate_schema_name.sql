{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- Use the folder's schema as is (staging, intermediate, core, outcomes, reference) so analysts query
        outcomes.mart_first_contact_resolution rather than main_outcomes.… -#}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
