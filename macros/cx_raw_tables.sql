{% macro cx_raw_tables() -%}
    {#- The eight raw tables of SPEC §2 as (source name, table name), in the order reports list them. -#}
    {{ return([
        ('crm', 'customers'),
        ('platform', 'agents'),
        ('platform', 'contacts'),
        ('platform', 'contact_events'),
        ('platform', 'survey_responses'),
        ('crm', 'subscriptions'),
        ('crm', 'orders'),
        ('platform', 'fraud_cases'),
    ]) }}
{%- endmacro %}
