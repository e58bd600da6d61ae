{#- Project-local generic tests (the dbt hub is unreachable, so no dbt_utils). -#}
{% test unique_combination_of_columns(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{% test suppressed_or_publishable(model, column_name, flag, k=none) %}
{#- A published count is NULL exactly when flagged, and never a small cell. -#}
select *
from {{ model }}
where ({{ flag }} and {{ column_name }} is not null)
   or (not {{ flag }} and {{ column_name }} is null)
   or {{ is_small_cell(column_name, k) }}
{% endtest %}

{% test reconciles_with_registry(model, dataset) %}
{#- Nothing is lost (DESIGN principle 4): the rows stored for a dataset equal the sum of
    rows_loaded over its files that are currently loaded in the file registry. -#}
with stored as (
    select count(*) as n from {{ model }}
),

registered as (
    select coalesce(sum(rows_loaded), 0) as n
    from {{ source('ingest', 'raw_file_registry') }}
    where dataset = '{{ dataset }}' and status = 'loaded'
)

select stored.n as n_stored, registered.n as n_registered
from stored, registered
where stored.n <> registered.n
{% endtest %}

{% test expression_is_true(model, expression) %}
{#- Rows that break an invariant, e.g. "n_managed <= n_registered". -#}
select * from {{ model }} where not coalesce(({{ expression }}), true)
{% endtest %}

{% test accepted_range(model, column_name, min_value=none, max_value=none) %}
select * from {{ model }}
where {{ column_name }} is not null and (
    false
    {%- if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
    {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
)
{% endtest %}

{% test null_when_suppressed(model, column_name, flags) %}
{#- A rate, share or interval derived from a withheld count is withheld too. -#}
select * from {{ model }}
where {{ column_name }} is not null
  and ({% for f in flags %}{{ f }}{{ ' or ' if not loop.last }}{% endfor %})
{% endtest %}

{% test suppression_is_complete(model) %}
{#- Every small cell (1 … k−1) is withheld, and a withheld published cell is never 0. -#}
select * from {{ model }}
where ({{ is_small_cell('value') }} and not is_suppressed)
   or (is_suppressed and is_published and value = 0)
{% endtest %}

{% test margins_add_up(model) %}
{#- Every county cell equals the sum of its township cells (incl. unknown township), so the
    margin equations the suppression protects are the ones the data really obey. -#}
with townships as (
    select month, county_code, measure, breakdown, sum(value) as value
    from {{ model }}
    where township_code is not null
    group by all
)

select c.month, c.county_code, c.measure, c.breakdown, c.value, t.value as township_sum
from {{ model }} as c
inner join townships as t using (month, county_code, measure, breakdown)
where c.township_code is null and c.value <> t.value
{% endtest %}
