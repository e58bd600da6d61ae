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
