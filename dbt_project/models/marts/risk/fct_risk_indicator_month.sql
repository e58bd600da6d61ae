{#- One row per indicator × area (township or county) × month: the watched risk indicators with
    their 95% intervals, EB-smoothed value and the township-share detector's baseline and bound.
    Counts are withheld for the whole indicator × county × month group when any of its cells
    is 1 … k−1 (macros/risk_protection.sql), and so is every figure that would reveal them. -#}
with indicators as (
    select * from {{ source('risk', 'risk_indicators') }}
),

protected_groups as (
    {{ risk_protected_groups(source('risk', 'risk_indicators')) }}
),

flagged as (
    select
        i.*,
        g.is_protected,
        {{ risk_window_protected('i.indicator', 'i.county_code', 'i.month', 'i.window_months') }}
            as is_window_protected
    from indicators as i
    inner join protected_groups as g
        on g.indicator = i.indicator and g.county_code = i.county_code and g.month = i.month::date
),

final as (
    select
        -- ids
        indicator,
        domain,
        kind as indicator_kind,
        area_level,
        area_code,
        county_code,
        township_code,
        month::date as month,
        -- counts (NULL when withheld)
        case when is_protected then null else numerator::bigint end as n_events,
        case when kind = 'proportion' and not is_protected then denominator::bigint end as n_screened,
        case when kind = 'rate' then denominator::bigint end as population,
        -- rates (per 10 000 residents) or proportions, 95% intervals; NULL when withheld
        case when is_protected then null else value end as value,
        case when is_protected then null else lower end as value_lower,
        case when is_protected then null else upper end as value_upper,
        case when is_protected then null else value_smoothed end as value_eb_smoothed,
        -- detector (township-share rule for townships, history mean for counties)
        method,
        window_months as detector_window_months,
        case when is_window_protected then null else observed::bigint end as n_detector_observed,
        expected as baseline_expected,
        upperbound,
        alarm as is_alarm,
        score as exceedance_score,
        -- flags
        is_protected as n_events_suppressed,
        is_window_protected as n_detector_observed_suppressed
    from flagged
)

select * from final
