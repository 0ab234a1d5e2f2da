{% macro cx_platform_mapping(mapping) -%}
    {#- The SQL of a platform object's mapping macro (cx_platform_adapters' `mapping`), as a parenthesised
        relation for cx_stage_source. Mappings are macros, not views, so no SQL that holds the salt of a
        personal-data hash is stored in the published file (SPEC §7). -#}
    {%- if mapping == 'cx_amazon_connect_contact_records' -%}
        {{ return('(' ~ cx_amazon_connect_contact_records() ~ '\n)') }}
    {%- elif mapping == 'cx_zendesk_tickets' -%}
        {{ return('(' ~ cx_zendesk_tickets() ~ '\n)') }}
    {%- elif mapping == 'cx_zendesk_satisfaction_ratings' -%}
        {{ return('(' ~ cx_zendesk_satisfaction_ratings() ~ '\n)') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("cx_platform_mapping: no mapping macro '" ~ mapping
            ~ "' (add it to macros/cx_platform_mapping.sql)") }}
    {%- endif -%}
{%- endmacro %}
