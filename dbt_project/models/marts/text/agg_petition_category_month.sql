{#- One row per township × month × petition category (classifier's first-level class):
    petitions, small cells suppressed, with the mean calibrated probability of the class. -#}
with documents as (
    select * from {{ source('text', 'text_documents') }}
    where source = 'petitions' and category is not null
),

counted as (
    select
        township_code,
        month,
        category,
        count(*) as n_petitions,
        avg(category_probability) as mean_probability
    from documents
    group by township_code, month, category
),

published as (
    select
        -- ids
        township_code,
        cast(month || '-01' as date) as month,
        category,
        -- counts (suppressed)
        {{ suppress('n_petitions') }} as n_petitions,
        case when not {{ is_small_cell('n_petitions') }} then mean_probability end
            as mean_probability,
        -- flags
        {{ is_small_cell('n_petitions') }} as n_petitions_suppressed
    from counted
)

select * from published
