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
    {%- elif mapping == 'cx_salesforce_cases' -%}
        {{ return('(' ~ cx_salesforce_cases() ~ '\n)') }}
    {%- elif mapping == 'cx_salesforce_messaging_sessions' -%}
        {{ return('(' ~ cx_salesforce_messaging_sessions() ~ '\n)') }}
    {%- elif mapping == 'cx_salesforce_voice_calls' -%}
        {{ return('(' ~ cx_salesforce_voice_calls() ~ '\n)') }}
    {%- elif mapping == 'cx_salesforce_contacts' -%}
        {{ return('(' ~ cx_salesforce_contacts() ~ '\n)') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("cx_platform_mapping: no mapping macro '" ~ mapping
            ~ "' (add it to macros/cx_platform_mapping.sql)") }}
    {%- endif -%}
{%- endmacro %}
