{% macro cx_delete_missing(column_name, source_relation, source_column) -%}
    {#- A post-hook for an incremental model: delete the stored rows whose `column_name` no longer occurs in
        `source_column` of `source_relation` (e.g. an attempt whose transfer chain lost all its contacts), so a
        night-by-night build keeps exactly the keys a full refresh would produce. -#}
    delete from {{ this }}
    where {{ column_name }} in (
        select {{ column_name }} from {{ this }}
        except
        select {{ source_column }} from {{ source_relation }}
    )
{%- endmacro %}
