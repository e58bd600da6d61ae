{#- One row per source × township × month × topic: documents whose dominant topic it is,
    small cells suppressed (primary), plus one complementary cell per township-month when
    exactly one topic cell is suppressed, so that it cannot be recovered from the month's
    total. -#}
with prevalence as (
    select * from {{ source('text', 'text_topic_prevalence') }}
),

topics as (
    select * from {{ ref('dim_text_topic') }}
),

flagged as (
    select
        *,
        {{ is_small_cell('n_docs') }} as is_primary,
        {{ is_small_cell('n_docs_total') }} as is_total_small
    from prevalence
),

ranked as (
    select
        *,
        count(*) filter (where is_primary) over w as n_primary_in_cell,
        row_number() over (
            partition by source, township_code, month
            order by is_primary, case when n_docs > 0 then n_docs end nulls last, topic_id
        ) as complement_rank
    from flagged
    window w as (partition by source, township_code, month)
),

suppressed as (
    select
        *,
        is_primary
            or is_total_small
            or (n_primary_in_cell = 1 and not is_primary and n_docs > 0 and complement_rank = 2)
            as is_suppressed
    from ranked
),

published as (
    select
        -- ids
        s.source,
        s.township_code,
        cast(s.month || '-01' as date) as month,
        s.topic_id,
        t.topic_label,
        -- counts (suppressed)
        case when s.is_suppressed then null else s.n_docs end as n_docs,
        {{ suppress('s.n_docs_total') }} as n_docs_total,
        -- shares
        case when s.is_suppressed then null else s.share end as share,
        -- flags
        s.is_suppressed as n_docs_suppressed
    from suppressed as s
    left join topics as t using (source, topic_id)
)

select * from published
