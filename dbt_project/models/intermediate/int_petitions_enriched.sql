{{ config(**month_incremental_config()) }}
{#- One row per petition item (信访件/12345 工单) with its month, county and the flags the
    indicators count. No content and no petitioner key leave this model: petitioners are never
    profiled, the pseudonym only says whether one was recorded. -#}
with petitions as (
    select * from {{ ref('stg_petitions__petitions') }}
    where {{ in_rebuild_months("date_trunc('month', received_date)::date") }}
),

enriched as (
    select
        -- ids
        case_no,
        date_trunc('month', received_date)::date as month,
        left(township_code, 6) as county_code,
        township_code,
        -- attributes
        received_date,
        channel,
        status,
        -- flags (as 'yes'/'no' dimension values)
        case when is_collective then 'yes' else 'no' end as collective,
        case when is_repeat then 'yes' else 'no' end as repeat,
        petitioner_pid is not null as has_petitioner_pid,
        -- counts
        group_size as n_persons,
        -- lineage
        {{ source_watermark() }} as _source_watermark
    from petitions
)

select * from enriched
order by month  -- stored in month order (macros/incremental.sql)
