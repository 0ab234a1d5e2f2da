{#- cx_zendesk_merges splits a ticket's merged_ticket_ids by position, up to 1000 ids: a longer list would leave the
    rest of its tickets counted as contacts instead of merged. Fails with every ticket version whose list is longer
    (none when the Zendesk adapter is off). -#}
{%- set id_list = cx_regexp_replace_all('merged_ticket_ids', '[^0-9,]', '') %}
with

tickets as (
    select * from {{ cx_platform_table('zendesk', 'ticket') }}
),

too_long as (
    select
        id as ticket_id,
        updated_at,
        {{ dbt.length(id_list) }} - {{ dbt.length(dbt.replace(id_list, "','", "''")) }} + 1 as listed_ids
    from tickets
    where merged_ticket_ids is not null
)

select * from too_long
where listed_ids > 1000
