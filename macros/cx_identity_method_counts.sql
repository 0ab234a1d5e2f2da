{% macro cx_identity_method_counts() -%}
    {#- SPEC §8.1, for a platform's reconciliation mart: how a group of contacts (rows with identity_method) found
        their customer: by the attribute or field holding the CRM id, by a unique phone / e-mail match, ambiguous
        (several customers matched: left unidentified), none. -#}
    count(case when identity_method = 'attribute' then 1 end) as contacts_identified_by_attribute,
    count(case when identity_method = 'endpoint' then 1 end) as contacts_identified_by_endpoint,
    count(case when identity_method = 'ambiguous' then 1 end) as contacts_identity_ambiguous,
    count(case when identity_method = 'none' then 1 end) as contacts_unidentified
{%- endmacro %}
