{#- One row per detector alarm: indicator × area × month × method, with the method that
    raised it, its baseline (expected), upper bound, the observed count over `window_months`
    months (withheld when any month of the window has a small cell in the indicator × county
    group) and a plain-Chinese reason whose numbers are withheld likewise. -#}
with alerts as (
    select * from {{ source('risk', 'risk_alerts') }}
),

protected_groups as (
    {{ risk_protected_groups(source('risk', 'risk_indicators')) }}
),

flagged as (
    select
        a.*,
        {{ risk_window_protected('a.indicator', 'a.county_code', 'a.month', 'a.window_months') }}
            as is_protected
    from alerts as a
),

final as (
    select
        -- ids
        md5(indicator || '|' || area_code || '|' || month::varchar || '|' || method) as alert_id,
        indicator,
        domain,
        area_level,
        area_code,
        county_code,
        township_code,
        month::date as month,
        -- detector
        method,
        expected as baseline_expected,
        upperbound,
        window_months,
        -- counts (NULL when withheld): observed over the window ending in the month
        case when is_protected then null else observed::bigint end as n_observed,
        case when kind = 'proportion' and not is_protected then denominator::bigint end as n_screened,
        -- explanation (numbers withheld with the counts)
        case when is_protected then {{ counts_withheld('reason') }} else reason end as reason,
        -- flags
        is_protected as n_observed_suppressed
    from flagged
)

select * from final
