{#- One row per source × township × month × topic flagged as emerging (share beyond the
    township's own baseline). Share and count are withheld when the topic's count is a small
    cell; the reason carries no counts. -#}
with emerging as (
    select * from {{ source('text', 'text_emerging_topics') }}
),

topics as (
    select * from {{ ref('dim_text_topic') }}
),

published as (
    select
        -- ids
        e.source,
        e.township_code,
        cast(e.month || '-01' as date) as month,
        e.topic_id,
        t.topic_label,
        -- counts (suppressed)
        {{ suppress('e.n_docs') }} as n_docs,
        -- shares
        case when not {{ is_small_cell('e.n_docs') }} and not {{ is_small_cell('e.n_docs_total') }}
            then e.share end as share,
        e.baseline_share,
        e.p_value,
        -- descriptions
        case when not {{ is_small_cell('e.n_docs') }} and not {{ is_small_cell('e.n_docs_total') }}
            then e.reason else '占比高于本乡镇近6个月基线（小数字不公布）' end as reason
    from emerging as e
    left join topics as t using (source, topic_id)
)

select * from published
