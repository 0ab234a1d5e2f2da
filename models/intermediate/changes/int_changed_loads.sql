{#- The loads (a raw table's rows of one load_date) whose row statuses an incremental run must count again: every
    load with a row a base model (re)wrote after the watermark — a later delivery that supersedes a row rewrites
    that row too, so the older load is counted again — and every load of a platform object whose statuses view is
    recomputed by every build (stg_quality__row_statuses: null _batch_at). A delivered row is never deleted from
    a base model and keeps its load_date, so no other load's counts can change. Read by
    int_row_statuses_counted. -#}
{%- set watermark = cx_change_watermark() %}
with

-- inlined (cx_cte_inlined): each reference reads only its own rows of the view's base tables
row_statuses as {{ cx_cte_inlined() }} (
    select * from {{ ref('stg_quality__row_statuses') }}
),

changes as (
    select
        table_name,
        load_date,
        _batch_at as changed_at
    from row_statuses
    where _batch_at > {{ watermark }}
    union all
    select
        table_name,
        load_date,
        {{ cx_batch_at() }} as changed_at
    from row_statuses
    where _batch_at is null
),

final as (
    select
        {{ cx_load_key('table_name', 'load_date') }} as load_key,
        table_name,
        load_date,
        max(changed_at) as changed_at
    from changes
    group by table_name, load_date
)

select * from final
