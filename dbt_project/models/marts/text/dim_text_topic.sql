{#- One row per source × topic: the stable topic id, its label and top words. -#}
with topics as (
    select * from {{ source('text', 'text_topics') }}
),

published as (
    select
        -- ids
        source,
        topic_id,
        -- descriptions
        label as topic_label,
        top_words
    from topics
)

select * from published
