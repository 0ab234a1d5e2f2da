{% macro cx_drop_retired_relations() -%}
    {#- Relations an earlier version of the project built and this one no longer does, dropped at the start of every
        run (dbt never drops a relation whose model was removed, and the nightly builds on a copy of the published
        file). staging.base_amazon_connect__contact_records was a view whose SQL held the salt of the personal-data
        hashes (SPEC §7); the mapping is now a macro. intermediate.int_contact_events_aggregated was a second stored
        table of the contact grain; int_contacts_enriched now aggregates the events itself (issue #22).
        intermediate.int_customers_preferences_keyed was a second stored table of the customer preferences;
        int_customers_preferences_resolved now carries customer_key itself (issue #22).
        intermediate.int_journeys_followups_measured was a second stored table of the journey grain; its SPEC §4.6
        follow-ups are columns of int_journeys_aggregated now (issue #22). intermediate.int_journey_attempts_assigned
        was a second stored table of the attempt grain; int_attempts_chained assigns each attempt its journey now. -#}
    {%- set retired = [
        ('staging', 'base_amazon_connect__contact_records', 'view'),
        ('intermediate', 'int_contact_events_aggregated', 'table'),
        ('intermediate', 'int_customers_preferences_keyed', 'table'),
        ('intermediate', 'int_journeys_followups_measured', 'table'),
        ('intermediate', 'int_journey_attempts_assigned', 'table'),
    ] -%}
    {%- if execute and target.type == 'duckdb' -%}
        {%- for schema, name, kind in retired -%}
            drop {{ kind }} if exists {{ adapter.quote(schema) }}.{{ adapter.quote(name) }};
        {% endfor -%}
    {%- endif -%}
{%- endmacro %}
