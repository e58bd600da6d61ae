{#- Small-cell suppression (DESIGN principle 3): counts 1 … k−1 are published as NULL.

    Primary suppression is decided per cell by `is_small_cell`; secondary (complementary)
    suppression across margins is decided once for every published cell by the Python model
    `int_suppressed_cells`, and marts read their counts through `published_cell`. -#}
{% macro is_small_cell(count_expr, k=none) -%}
    ({{ count_expr }} between 1 and {{ (k or var('suppression_k')) | int }} - 1)
{%- endmacro %}

{% macro suppress(count_expr, k=none) -%}
    case when {{ is_small_cell(count_expr, k) }} then null else {{ count_expr }} end
{%- endmacro %}

{#- Pivot one cell of int_suppressed_cells into a wide mart column: the value, NULL when the
    cell is suppressed (primary or secondary). Use inside an aggregate over the cells of a row. -#}
{% macro published_cell(measure, breakdown='') -%}
    max(case when measure = '{{ measure }}' and breakdown = '{{ breakdown }}' and not is_suppressed
             then value end)
{%- endmacro %}

{#- The matching `<col>_suppressed` flag of a pivoted cell. -#}
{% macro cell_suppressed(measure, breakdown='') -%}
    coalesce(bool_or(is_suppressed) filter (where measure = '{{ measure }}' and breakdown = '{{ breakdown }}'), false)
{%- endmacro %}

{#- A share numerator / denominator: NULL when either count is suppressed (NULL) or the
    denominator is zero, so a rate never reveals a withheld count. -#}
{% macro safe_share(numerator, denominator) -%}
    case when {{ denominator }} > 0 then {{ numerator }}::double / {{ denominator }} end
{%- endmacro %}

{#- A rate per `per` population; NULL when the count is suppressed. -#}
{% macro safe_rate(count_expr, population, per=10000) -%}
    case when {{ population }} > 0 then {{ count_expr }}::double * {{ per }} / {{ population }} end
{%- endmacro %}
