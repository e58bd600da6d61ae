{#- One row per source × township × month × topic flagged as emerging (the topic's share of the
    township's documents rose beyond its own baseline). Township topic counts, shares, the
    baseline and the test's p-value are not published: with the township's published document
    count any of them would give the topic count away, and almost all are small cells. The
    reason therefore carries no numbers; the county's topic counts are in
    agg_text_topic_month. A flag says the topic had a few documents there (the rule needs
    at least 3), a floor on the township's document count: flags are printed only where that
    count is itself printed (k or more documents, not withheld), so the floor tells an attacker
    nothing about any withheld cell. -#}
with emerging as (
    select * from {{ source('text', 'text_emerging_topics') }}
),

shown_townships as (
    select source, township_code, strftime(month, '%Y-%m') as month
    from {{ ref('int_suppressed_text_cells') }}
    where text_dimension = 'total' and area_level = 'township'
        and is_published and not is_suppressed
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
        -- descriptions
        '话题「' || coalesce(t.topic_label, cast(e.topic_id as varchar))
            || '」在本乡镇的占比明显高于其近期基线（泊松检验显著；乡镇话题计数不公布）'
            as reason
    from emerging as e
    inner join shown_townships using (source, township_code, month)
    left join topics as t using (source, topic_id)
)

select * from published
