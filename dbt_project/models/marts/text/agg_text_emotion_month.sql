{#- One row per source × area (county or township) × month: documents scored, the mean per
    document of the emotion indices (焦虑 anxiety, 愤怒/怨气 anger, 悲观 pessimism, 信任 trust)
    and crisis-language documents. Counts come from int_suppressed_text_cells (primary and
    LP-certified secondary suppression on the margins shared with the indicator marts);
    indices are withheld when the document count is, the crisis share when either count is; a
    county-month whose text figures cannot be certified has no rows. -#}
with cells as (
    select * from {{ ref('int_suppressed_text_cells') }}
    where text_dimension = 'total' or (text_dimension = 'crisis' and text_value = 'yes')
),

townships as (
    select township_code, county_code from {{ ref('int_townships') }}
),

township_indices as (
    select
        i.source,
        t.county_code,
        i.township_code,
        cast(i.month || '-01' as date) as month,
        i.n_docs,
        i.anxiety_mean,
        i.anger_mean,
        i.pessimism_mean,
        i.trust_mean
    from {{ source('text', 'text_emotion_indices') }} as i
    inner join townships as t using (township_code)
),

county_indices as (
    -- document-weighted means of the townships' means = the county's mean per document
    select
        source,
        county_code,
        null::varchar as township_code,
        month,
        sum(n_docs) as n_docs,
        sum(anxiety_mean * n_docs) / sum(n_docs) as anxiety_mean,
        sum(anger_mean * n_docs) / sum(n_docs) as anger_mean,
        sum(pessimism_mean * n_docs) / sum(n_docs) as pessimism_mean,
        sum(trust_mean * n_docs) / sum(n_docs) as trust_mean
    from township_indices
    group by source, county_code, month
),

indices as (
    select * from township_indices
    union all
    select * from county_indices
),

counted as (
    select
        i.*,
        coalesce(d.is_published, false) as docs_published,
        coalesce(d.is_suppressed, false) as docs_withheld,
        coalesce(c.value, 0) as n_crisis_true,
        coalesce(c.is_suppressed, false) as crisis_withheld
    from indices as i
    left join cells as d
        on d.text_dimension = 'total' and d.source = i.source and d.county_code = i.county_code
        and d.township_code is not distinct from i.township_code
        and cast(d.month as date) = i.month
    left join cells as c
        on c.text_dimension = 'crisis' and c.source = i.source and c.county_code = i.county_code
        and c.township_code is not distinct from i.township_code
        and cast(c.month as date) = i.month
),

published as (
    select
        -- ids
        source,
        county_code,
        township_code,
        case when township_code is null then 'county' else 'township' end as area_level,
        month,
        -- counts (suppressed)
        case when not docs_withheld then n_docs end as n_docs,
        case when not crisis_withheld then n_crisis_true end as n_crisis,
        -- indices (mean per document; NULL when n_docs is suppressed)
        case when not docs_withheld then anxiety_mean end as anxiety_mean,
        case when not docs_withheld then anger_mean end as anger_mean,
        case when not docs_withheld then pessimism_mean end as pessimism_mean,
        case when not docs_withheld then trust_mean end as trust_mean,
        case when not docs_withheld and not crisis_withheld
            then n_crisis_true / n_docs end as crisis_share,
        -- flags
        docs_withheld as n_docs_suppressed,
        crisis_withheld as n_crisis_suppressed
    from counted
    where docs_published  -- else the county-month prints no text figures (see the cells model)
)

select * from published
