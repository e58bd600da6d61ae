{#- One row per source × township × month: documents scored and the mean emotion indices
    (焦虑 anxiety, 愤怒/怨气 anger, 悲观 pessimism, 信任 trust) and crisis-language documents;
    indices are withheld when the document count is suppressed, the crisis share when either
    count is. -#}
with indices as (
    select * from {{ source('text', 'text_emotion_indices') }}
),

published as (
    select
        -- ids
        source,
        township_code,
        cast(month || '-01' as date) as month,
        -- counts (suppressed)
        {{ suppress('n_docs') }} as n_docs,
        {{ suppress('n_crisis') }} as n_crisis,
        -- indices (mean per document; NULL when n_docs is suppressed)
        case when not {{ is_small_cell('n_docs') }} then anxiety_mean end as anxiety_mean,
        case when not {{ is_small_cell('n_docs') }} then anger_mean end as anger_mean,
        case when not {{ is_small_cell('n_docs') }} then pessimism_mean end as pessimism_mean,
        case when not {{ is_small_cell('n_docs') }} then trust_mean end as trust_mean,
        case when not {{ is_small_cell('n_docs') }} and not {{ is_small_cell('n_crisis') }}
            then crisis_share end as crisis_share,
        -- flags
        {{ is_small_cell('n_docs') }} as n_docs_suppressed
    from indices
)

select * from published
