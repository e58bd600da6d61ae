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

{#- The ledger of withheld cells (var suppression_ledger), beside `relation`. A revision must
    never print a cell an earlier publication withheld (an attacker would difference the two),
    also after a --full-refresh, which drops the model but not this table. -#}
{% macro suppression_ledger(relation) -%}
    {{ relation.database }}.{{ relation.schema }}.{{ var('suppression_ledger') }}
{%- endmacro %}

{% macro create_suppression_ledger(relation) -%}
    create table if not exists {{ suppression_ledger(relation) }} (
        cell_id varchar not null,
        withheld_since timestamp not null
    )
{%- endmacro %}

{#- Post-hook: add the cells this build withheld from print. -#}
{% macro record_withheld_cells(relation) -%}
    insert into {{ suppression_ledger(relation) }}
    select distinct t.cell_id, now()::timestamp
    from {{ relation }} as t
    where t.is_suppressed and t.is_published
      and not exists (select 1 from {{ suppression_ledger(relation) }} as l where l.cell_id = t.cell_id)
{%- endmacro %}
