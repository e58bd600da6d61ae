{#- One row per calendar month covered by the published data: year, quarter and the rolling
    12-month window the SMD KPIs use. -#}
with months as (
    select * from {{ ref('int_months') }}
),

final as (
    select
        -- ids
        month,
        -- calendar
        year,
        month_of_year,
        quarter(month) as quarter,
        strftime(month, '%Y-%m') as month_label,
        -- windows
        window_start_month,
        (month = max(month) over ()) as is_latest
    from months
)

select * from final
