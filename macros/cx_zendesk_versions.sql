{% macro cx_zendesk_versions(table_name, id_alias, columns) -%}
    {#- The body of a CTE: each version of a Zendesk record (a user, a group) once, valid from its updated_at to the
        next version's (the first from the beginning of time: valid_from null; the last to the end: valid_to
        null), so a ticket version can read the record as of its own updated_at. Re-deliveries of one version
        (same id and updated_at) keep the one synced last, then read last. `columns`: {output name: expression
        over the table's columns}. -#}
    select
        id as {{ id_alias }},
        {%- for name, expression in columns.items() %}
        {{ expression }} as {{ name }},
        {%- endfor %}
        case when version_number = 1 then null else updated_at end as valid_from,
        lead(updated_at) over (partition by id order by updated_at) as valid_to
    from (
        select
            *,
            row_number() over (partition by id order by updated_at) as version_number
        from (
            select
                *,
                row_number() over (
                    partition by id, updated_at order by _fivetran_synced desc, filename desc, file_row_number desc
                ) as delivery_rank
            from {{ cx_zendesk_table(table_name) }}
        ) as delivered
        where delivery_rank = 1
    ) as versions
{%- endmacro %}
