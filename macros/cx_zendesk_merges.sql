{% macro cx_zendesk_merges(ticket_versions) -%}
    {#- The body of a CTE: each Zendesk ticket merged into another (SPEC §8.4: listed in another ticket's
        merged_ticket_ids, text such as '[101, 102]'), with the first day a version listing it was synced
        (merged_synced_on). `ticket_versions` is a relation with ticket_id, merged_ticket_ids and
        _fivetran_synced. The list is split by position (1 … 1000: the data test
        assert_zendesk_merge_lists_fit fails a longer one), in portable SQL. -#}
    {%- set id_list = cx_regexp_replace_all('lists.merged_ticket_ids', '[^0-9,]', '') -%}
    {%- set part = cx_split_part(id_list, "','", 'positions.position') %}
    select
        cast({{ part }} as {{ dbt.type_bigint() }}) as merged_ticket_id,
        min(cast(lists._fivetran_synced as date)) as merged_synced_on
    from {{ ticket_versions }} as lists
    inner join (
        select hundreds.digit * 100 + tens.digit * 10 + ones.digit + 1 as position
        from (
            {%- for digit in range(10) %}
                select {{ digit }} as digit{{ ' union all' if not loop.last }}
            {%- endfor %}
        ) as hundreds
        cross join (
            {%- for digit in range(10) %}
                select {{ digit }} as digit{{ ' union all' if not loop.last }}
            {%- endfor %}
        ) as tens
        cross join (
            {%- for digit in range(10) %}
                select {{ digit }} as digit{{ ' union all' if not loop.last }}
            {%- endfor %}
        ) as ones
    ) as positions
        on positions.position <= {{ dbt.length(id_list) }} - {{ dbt.length(dbt.replace(id_list, "','", "''")) }} + 1
    where lists.merged_ticket_ids is not null and {{ part }} <> ''
    group by {{ part }}
{%- endmacro %}
