{% macro cx_cumulative_product(expression, partition_by, order_by) -%}
    {{ return(adapter.dispatch('cx_cumulative_product', 'cx_outcomes')(expression, partition_by, order_by)) }}
{%- endmacro %}

{% macro default__cx_cumulative_product(expression, partition_by, order_by) -%}
    {#- Running product of a non-negative expression: exp of the running sum of logs, 0 once a factor was 0. -#}
    case
        when sum(case when {{ expression }} = 0 then 1 else 0 end) over (
            partition by {{ partition_by }}
            order by {{ order_by }}
            rows between unbounded preceding and current row
        ) > 0
            then 0
        else exp(sum(case when {{ expression }} > 0 then ln({{ expression }}) else 0 end) over (
            partition by {{ partition_by }}
            order by {{ order_by }}
            rows between unbounded preceding and current row
        ))
    end
{%- endmacro %}

{% macro duckdb__cx_cumulative_product(expression, partition_by, order_by) -%}
    {#- DuckDB's product() aggregate as a window: exact multiplication, as a Kaplan–Meier product should be. -#}
    product({{ expression }}) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and current row
    )
{%- endmacro %}

{% macro spark__cx_cumulative_product(expression, partition_by, order_by) -%}
    {#- Spark has no product() aggregate in SQL: the running list of factors, multiplied in order (exact
        multiplication, as DuckDB's product() window). -#}
    aggregate(
        collect_list(cast({{ expression }} as double)) over (
            partition by {{ partition_by }}
            order by {{ order_by }}
            rows between unbounded preceding and current row
        ),
        cast(1 as double),
        (running, factor) -> running * factor
    )
{%- endmacro %}
