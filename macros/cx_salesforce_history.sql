{% macro cx_salesforce_history(field) -%}
    {#- The body of a CTE: each change of one case field in Salesforce's case_history once (its latest delivery, by
        _fivetran_synced then read last), without the rows deleted in Salesforce. For `Owner`, only the rows whose
        values are ids: Salesforce writes a lookup change twice, once with the names and once with the ids (users
        start 005, queues 00G); the id rows are the ones read (SPEC §8.5). Columns: history_id, case_id,
        changed_at, old_value, new_value. -#}
    select
        id as history_id,
        case_id,
        created_date as changed_at,
        old_value,
        new_value
    from (
        select
            *,
            row_number() over (partition by id order by _fivetran_synced desc, filename desc, file_row_number desc)
                as delivery_rank
        from {{ cx_platform_table('salesforce', 'case_history') }}
        where {{ cx_trim('field') }} = '{{ field }}'
        {%- if field == 'Owner' %}
            and ({{ cx_salesforce_id_is('new_value', 'user') }} or {{ cx_salesforce_id_is('new_value', 'queue') }})
        {%- endif %}
    ) as delivered
    where delivery_rank = 1 and not coalesce(is_deleted, false) and not coalesce(_fivetran_deleted, false)
{%- endmacro %}

{% macro cx_salesforce_id_is(expression, kind) -%}
    {#- Whether a Salesforce id (15 or 18 characters) is a record of `kind`, by its key prefix: user 005, queue
        (a Group of type Queue) 00G, case 500. -#}
    {%- set prefixes = {'user': '005', 'queue': '00G', 'case': '500'} -%}
    substring({{ cx_trim(expression) }}, 1, 3) = '{{ prefixes[kind] }}'
{%- endmacro %}
