{#- Incremental builds by month.

    Every first-level incremental model stores `_source_watermark`: the newest `ingested_at`
    of the file registry when it was built. The next run rebuilds (delete+insert) only the
    months touched by files registered after that watermark:

      * monthly datasets (file name carries YYYY-MM): that month, plus the months whose rolling
        window reads it (`smd_followup`: the 11 following months, because SMD KPIs look back
        12 months, and the 2 preceding ones, because a patient who died or moved out counts
        as 在册 in a month with a follow-up in it or in the 2 months after it;
        `service_capacity`: the 2 following months of its quarter);
      * a reference or snapshot dataset (admin_units, population, township_geo, schools,
        smd_registry) or a file without a period: every month (denominators and the register
        change history, so nothing is patched).

    Downstream models chain on their upstream's watermark (`in_upstream_rebuild`).

    The large restricted ones end with `order by month`: a rebuilt month's rows then share a
    few row groups, so its delete+insert leaves history's row groups alone (unordered, every
    row group held every month and the checkpoint at dbt's close rewrote whole tables). -#}

{#- dataset: [months before, months after] its file's month that must be rebuilt -#}
{% macro monthly_windows() -%}
    {{ return({
        'petitions': [0, 0], 'incidents': [0, 0], 'hotline_calls': [0, 0],
        'maternal_screening': [0, 0], 'outpatient_visits': [0, 0], 'student_screening': [0, 0],
        'smd_followup': [2, 11], 'service_capacity': [0, 2],
    }) }}
{%- endmacro %}

{% macro source_watermark() -%}
    (select coalesce(max(ingested_at), timestamp '1900-01-01') from {{ ref('stg_ingest__file_registry') }})
{%- endmacro %}

{#- The months to (re)build in this run, as a subquery with one column `month`. -#}
{% macro rebuild_months() -%}
    {%- set windows = monthly_windows() -%}
    select m.month
    from {{ ref('int_months') }} as m
    where exists (
        select 1
        from {{ ref('stg_ingest__file_registry') }} as r
        where r.status <> 'failed'
          and r.ingested_at > (select coalesce(max(_source_watermark), timestamp '1900-01-01') from {{ this }})
          and (
              r.dataset not in ({% for d in windows %}'{{ d }}'{{ ',' if not loop.last }}{% endfor %})
              or r.period is null
              or m.month between strptime(r.period, '%Y-%m')::date - to_months(case r.dataset
                      {%- for d, w in windows.items() %} when '{{ d }}' then {{ w[0] }}{% endfor %} else 0 end)
                  and strptime(r.period, '%Y-%m')::date + to_months(case r.dataset
                      {%- for d, w in windows.items() %} when '{{ d }}' then {{ w[1] }}{% endfor %} else 0 end)
          )
    )
{%- endmacro %}

{#- A predicate on a month column: true for every month on a full build, only the months to
    rebuild on an incremental one. -#}
{% macro in_rebuild_months(month_expr) -%}
    {#- reference both inputs unconditionally so dbt records the dependencies at parse time -#}
    {%- set _months = ref('int_months') -%}
    {%- set _registry = ref('stg_ingest__file_registry') -%}
    {%- if is_incremental() -%}
    ({{ month_expr }} in ({{ rebuild_months() }}))
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{#- Downstream of an incremental model: rebuild the months the upstream rebuilt since our own
    last build (its `_source_watermark` is newer than ours). -#}
{% macro in_upstream_rebuild(month_expr, upstream) -%}
    {%- if is_incremental() -%}
    ({{ month_expr }} in (
        select distinct month from {{ upstream }}
        where _source_watermark > (select coalesce(max(_source_watermark), timestamp '1900-01-01') from {{ this }})
    ))
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{#- Config shared by every month-incremental model. -#}
{% macro month_incremental_config() -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert', 'unique_key': 'month', 'on_schema_change': 'sync_all_columns'}) }}
{%- endmacro %}
