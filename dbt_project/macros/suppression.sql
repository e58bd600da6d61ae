{#- Small-cell suppression (DESIGN principle 3): counts 1 … k−1 are published as NULL. -#}
{% macro is_small_cell(count_expr, k=none) -%}
    ({{ count_expr }} between 1 and {{ (k or var('suppression_k')) | int }} - 1)
{%- endmacro %}

{% macro suppress(count_expr, k=none) -%}
    case when {{ is_small_cell(count_expr, k) }} then null else {{ count_expr }} end
{%- endmacro %}
