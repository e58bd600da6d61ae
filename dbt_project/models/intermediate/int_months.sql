{#- One row per calendar month from the first to the last month with any monthly record
    (the bounds come from each date column's min and max: no distinct over every record). -#}
{%- set dated = [
    ('stg_petitions__petitions', 'received_date'),
    ('stg_public_security__incidents', 'reported_at'),
    ('stg_health__hotline_calls', 'call_time'),
    ('stg_health__outpatient_visits', 'visit_date'),
    ('stg_health__maternal_screening', 'screening_date'),
    ('stg_health__smd_followup', 'followup_date'),
    ('stg_schools__student_screening', 'screening_date'),
] %}
with source_bounds as (
    {%- for model, column in dated %}
    select min({{ column }}) as first_at, max({{ column }}) as last_at from {{ ref(model) }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

bounds as (
    select
        date_trunc('month', min(first_at))::date as first_month,
        date_trunc('month', max(last_at))::date as last_month
    from source_bounds
),

months as (
    select
        g.generate_series::date as month,
        year(g.generate_series) as year,
        month(g.generate_series) as month_of_year,
        (g.generate_series::date - to_months(11))::date as window_start_month
    from bounds, generate_series(bounds.first_month, bounds.last_month, interval 1 month) as g
)

select * from months
