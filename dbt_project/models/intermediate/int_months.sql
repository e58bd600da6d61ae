{#- One row per calendar month from the first to the last month with any monthly record. -#}
with event_months as (
    select distinct date_trunc('month', received_date)::date as month from {{ ref('stg_petitions__petitions') }}
    union
    select distinct date_trunc('month', reported_at)::date from {{ ref('stg_public_security__incidents') }}
    union
    select distinct date_trunc('month', call_time)::date from {{ ref('stg_health__hotline_calls') }}
    union
    select distinct date_trunc('month', visit_date)::date from {{ ref('stg_health__outpatient_visits') }}
    union
    select distinct date_trunc('month', screening_date)::date from {{ ref('stg_health__maternal_screening') }}
    union
    select distinct date_trunc('month', followup_date)::date from {{ ref('stg_health__smd_followup') }}
    union
    select distinct date_trunc('month', screening_date)::date from {{ ref('stg_schools__student_screening') }}
),

bounds as (
    select min(month) as first_month, max(month) as last_month from event_months
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
