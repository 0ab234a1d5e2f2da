{% macro cx_platform_versions(source_name, table_name, id_alias, columns, version_column='updated_at') -%}
    {#- The body of a CTE: each version of a platform record (a Zendesk user or group, a Salesforce account or queue)
        once, valid from its version stamp (`version_column`: Zendesk's updated_at, Salesforce's system_modstamp) to
        the next version's (the first from the beginning of time: valid_from null; the last to the end: valid_to
        null), so a record mapped as of its own version reads the other record as of the same instant.
        Re-deliveries of one version (same id and stamp) keep the one synced last, then read last. `columns`:
        {output name: expression over the table's columns}. -#}
    select
        id as {{ id_alias }},
        {%- for name, expression in columns.items() %}
        {{ expression }} as {{ name }},
        {%- endfor %}
        case when version_number = 1 then null else {{ version_column }} end as valid_from,
        lead({{ version_column }}) over (partition by id order by {{ version_column }}) as valid_to
    from (
        select
            *,
            row_number() over (partition by id order by {{ version_column }}) as version_number
        from (
            select
                *,
                row_number() over (
                    partition by id, {{ version_column }}
                    order by _fivetran_synced desc, filename desc, file_row_number desc
                ) as delivery_rank
            from {{ cx_platform_table(source_name, table_name) }}
        ) as delivered
        where delivery_rank = 1
    ) as versions
{%- endmacro %}
