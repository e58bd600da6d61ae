{#- One row per source × county × month × topic: documents whose dominant topic it is, with
    the county-month's documents and the share. Counts come from int_suppressed_text_cells
    (primary and LP-certified secondary suppression on the margins shared with the indicator
    marts); a share is withheld with either of its counts. Township topic counts are not
    published (almost all are small cells); township emerging topics are flagged in
    fct_text_emerging_topic. -#}
with cells as (
    select * from {{ ref('int_suppressed_text_cells') }}
    where area_level = 'county'
),

topics as (
    select * from {{ ref('dim_text_topic') }}
),

totals as (
    select source, county_code, month, value, is_suppressed
    from cells
    where text_dimension = 'total' and is_published  -- unpublished: no text figures at all
),

topic_cells as (
    select source, county_code, month, cast(text_value as bigint) as topic_id, value, is_suppressed
    from cells
    where text_dimension = 'topic'
),

grid as (
    -- every topic of the source in every county-month with documents: zeros are printed
    select t.source, t.county_code, t.month, d.topic_id
    from totals as t
    inner join topics as d using (source)
),

published as (
    select
        -- ids
        g.source,
        g.county_code,
        cast(g.month as date) as month,
        g.topic_id,
        d.topic_label,
        -- counts (suppressed)
        case when not coalesce(c.is_suppressed, false) then coalesce(c.value, 0) end as n_docs,
        case when not t.is_suppressed then t.value end as n_docs_total,
        -- shares
        case when not coalesce(c.is_suppressed, false) and not t.is_suppressed
            then coalesce(c.value, 0) / t.value end as share,
        -- flags
        coalesce(c.is_suppressed, false) as n_docs_suppressed,
        t.is_suppressed as n_docs_total_suppressed
    from grid as g
    inner join totals as t using (source, county_code, month)
    left join topic_cells as c using (source, county_code, month, topic_id)
    left join topics as d using (source, topic_id)
)

select * from published
