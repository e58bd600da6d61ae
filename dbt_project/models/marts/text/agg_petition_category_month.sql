{#- One row per county × month × petition category (the classifier's first-level class):
    petitions and the mean calibrated probability of the class. Counts come from
    int_suppressed_text_cells (primary and LP-certified secondary suppression on the margins
    shared with agg_petitions_area_month); the mean is withheld with its count. -#}
with cells as (
    select * from {{ ref('int_suppressed_text_cells') }}
    where source = 'petitions' and area_level = 'county' and text_dimension = 'category'
),

categories as (
    select distinct text_value as category from cells
),

months as (
    select distinct county_code, month
    from {{ ref('int_suppressed_text_cells') }}
    where source = 'petitions' and area_level = 'county' and text_dimension = 'total'
        and is_published  -- unpublished: the county-month prints no text figures at all
),

probabilities as (
    select
        t.county_code,
        cast(d.month || '-01' as date) as month,
        d.category,
        avg(d.category_probability) as mean_probability
    from {{ source('text', 'text_documents') }} as d
    inner join {{ ref('int_townships') }} as t using (township_code)
    where d.source = 'petitions' and d.category is not null
    group by all
),

published as (
    select
        -- ids
        m.county_code,
        cast(m.month as date) as month,
        k.category,
        -- counts (suppressed)
        case when not coalesce(c.is_suppressed, false) then coalesce(c.value, 0) end
            as n_petitions,
        case when not coalesce(c.is_suppressed, false) then p.mean_probability end
            as mean_probability,
        -- flags
        coalesce(c.is_suppressed, false) as n_petitions_suppressed
    from months as m
    cross join categories as k
    left join cells as c
        on c.county_code = m.county_code and c.month = m.month and c.text_value = k.category
    left join probabilities as p
        on p.county_code = m.county_code and p.month = cast(m.month as date)
        and p.category = k.category
)

select * from published
