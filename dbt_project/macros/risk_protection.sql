{#- Group protection for the risk marts (DESIGN principle 3).

    The risk tables repeat counts that the indicator marts publish under their own
    complementary-suppression pattern, and they add county totals and multi-month sums. So that
    no combination of published tables can pin a small cell, the risk marts withhold every
    count of an indicator × county × month group as soon as any cell of the group (a township,
    the county, a numerator or a screened denominator) is 1 … k−1, and every figure that sums
    over a window containing such a month. A withheld group reveals nothing the indicator marts
    do not already withhold. -#}
{% macro risk_protected_groups(indicators_relation, k=none) -%}
    {%- set k = (k or var('suppression_k')) | int -%}
    select
        indicator,
        county_code,
        month::date as month,
        bool_or(
            numerator between 1 and {{ k }} - 1
            or (kind = 'proportion' and denominator between 1 and {{ k }} - 1)
        ) as is_protected
    from {{ indicators_relation }}
    group by indicator, county_code, month::date
{%- endmacro %}

{#- True when any month of the window (ending in `month_col`, `window_col` months long) of
    the row's indicator × county group is protected. Needs a CTE `protected_groups`. -#}
{% macro risk_window_protected(indicator_col, county_col, month_col, window_col) -%}
    coalesce((
        select bool_or(g.is_protected)
        from protected_groups as g
        where g.indicator = {{ indicator_col }}
          and g.county_code = {{ county_col }}
          and g.month > ({{ month_col }})::date - to_months(greatest(coalesce({{ window_col }}, 1), 1)::int)
          and g.month <= ({{ month_col }})::date
    ), false)
{%- endmacro %}

{#- Counts, and percentages derived from them, replaced in a free-text reason (the points of
    the composite index stay: they are scores, not counts). -#}
{% macro counts_withheld(reason_col) -%}
    regexp_replace({{ reason_col }}, '[0-9][0-9.,]*\s*(件|次|起|人|例|%)', '若干\1', 'g')
{%- endmacro %}
