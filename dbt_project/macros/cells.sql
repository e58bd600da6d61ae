{#- Publication cells: every count a mart publishes, in one long table, so that primary and
    secondary suppression are decided once, consistently across tables that share margins.

    `count_cells` turns a person- or event-level relation into the cells of one or more
    cross-classified tables. A table is a set of free dimensions (`dims`) and optional fixed
    dimension values (`fixed`, a sub-population). For each table it emits every margin: all
    subsets of (township, free dims), with NULL township = the county and an absent dimension =
    all. Zeros are filled from a complete spine (every township of the county × every value),
    so every margin equation `parent = Σ children` holds exactly over the emitted cells.

    Cells whose value is implied by published cells but not printed (complements such as
    "not collective", and calls with an unknown township) are emitted with is_published =
    false: they are protected like any other cell.

    base      relation with month, county_code, township_code and each dimension column
    dims      {dimension: [values]}
    tables    [{'dims': [...], 'fixed': {dimension: value}}]
    unpublished {dimension: [values never printed]}
    value     expression summed per cell (1 = count rows)
-#}
{#- `spine`: the relation whose months define the grid (default `base`); a filtered base such
    as collective petitions has no rows in some months, yet those months need zero cells. -#}
{% macro count_cells(measure, base, dims, tables, unpublished={}, value='1', unknown_township=false, spine=none) -%}
{%- for table in tables %}
{%- set free = table.get('dims', []) -%}
{%- set fixed = table.get('fixed', {}) -%}
{%- set all_dims = (free + (fixed.keys() | list)) | sort -%}
select
    month,
    county_code,
    township_code,
    '{{ measure }}' as measure,
    concat_ws(';', ''
        {%- for d in all_dims %},
        {%- if d in fixed %} '{{ d }}={{ fixed[d] }}'
        {%- else %} case when {{ d }} is not null then '{{ d }}=' || {{ d }} end
        {%- endif %}
        {%- endfor %}
    )[2:] as breakdown,
    sum(n)::bigint as value,
    not (
        coalesce(township_code like '%-unknown', false)
        {%- for d in all_dims if d in unpublished %}
        {%- if d in fixed %}
        or {{ 'true' if fixed[d] in unpublished[d] else 'false' }}
        {%- else %}
        or coalesce({{ d }} in ({% for v in unpublished[d] %}'{{ v }}'{{ ',' if not loop.last }}{% endfor %}), false)
        {%- endif %}
        {%- endfor %}
    ) as is_published
from (
    select
        s.month,
        s.county_code,
        s.township_code,
        {%- for d in free %}
        d_{{ d }}.{{ d }},
        {%- endfor %}
        {%- for d, v in fixed.items() %}
        '{{ v }}' as {{ d }},
        {%- endfor %}
        coalesce(b.n, 0) as n
    from (
        select distinct p.month, p.county_code, t.township_code
        from (select distinct month, county_code from {{ spine or base }}) as p
        inner join (
            select county_code, township_code from {{ ref('int_townships') }}
            {%- if unknown_township %}
            union all
            select distinct county_code, county_code || '-unknown' from {{ ref('int_townships') }}
            {%- endif %}
        ) as t on t.county_code = p.county_code
    ) as s
    {%- for d in free %}
    cross join (values {% for v in dims[d] %}('{{ v }}'){{ ',' if not loop.last }}{% endfor %}) as d_{{ d }}({{ d }})
    {%- endfor %}
    left join (
        select month, county_code, township_code{% for d in free %}, {{ d }}{% endfor %}, sum({{ value }}) as n
        from {{ base }}
        where true
        {%- for d, v in fixed.items() %}
          and {{ d }} = '{{ v }}'
        {%- endfor %}
        group by all
    ) as b
        on b.month = s.month and b.county_code = s.county_code and b.township_code = s.township_code
        {%- for d in free %} and b.{{ d }} = d_{{ d }}.{{ d }}{% endfor %}
)
group by grouping sets (
    {%- set coords = ['township_code'] + free -%}
    {%- set n = coords | length -%}
    {%- for mask in range(2 ** n) %}
    (month, county_code
        {%- for i in range(n) if (mask // (2 ** i)) % 2 == 1 %}, {{ coords[i] }}{% endfor -%}
    ){{ ',' if not loop.last }}
    {%- endfor %}
)
{{ ' union all ' if not loop.last }}
{%- endfor %}
{%- endmacro %}

{#- Wide mart columns from cells: for each (column, measure, breakdown) the published value
    (NULL when withheld) and its `<column>_suppressed` flag. -#}
{% macro cell_columns(columns) -%}
    {%- for name, measure, breakdown in columns %}
        {{ published_cell(measure, breakdown) }} as {{ name }},
        {{ cell_suppressed(measure, breakdown) }} as {{ name }}_suppressed{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The published cells of some measures, for the months this incremental mart rebuilds. -#}
{% macro published_cells(measures, extra_where='true') -%}
    select *
    from {{ ref('int_suppressed_cells') }}
    where measure in ({% for m in measures %}'{{ m }}'{{ ',' if not loop.last }}{% endfor %})
      and is_published
      and area_level in ('county', 'township')
      and {{ extra_where }}
      and {{ in_upstream_rebuild('month', ref('int_suppressed_cells')) }}
{%- endmacro %}

{#- Area identity and denominator columns joined onto an area × month CTE `c`. -#}
{% macro area_columns() -%}
        -- ids
        c.month,
        a.area_level,
        a.area_code,
        a.county_code,
        a.township_code,
        -- names
        a.area_name,
        -- denominator
        p.population
{%- endmacro %}

{% macro area_joins() -%}
    inner join {{ ref('int_areas') }} as a
        on a.county_code = c.county_code and a.township_code is not distinct from c.township_code
    left join {{ ref('int_area_month_population') }} as p
        on p.county_code = c.county_code and p.township_code is not distinct from c.township_code
       and p.month = c.month
{%- endmacro %}
