{#- One row per source × dataset × month (the file's period; reference files without a period
    count in the month they were ingested): files, rows in / loaded / quarantined,
    completeness, validity and timeliness of the delivery. From the file registry and the
    quarantine table; no record-level content. -#}
with registry as (
    select * from {{ ref('stg_ingest__file_registry') }}
),

quarantine as (
    select * from {{ ref('stg_ingest__quarantine') }}
),

completeness as (
    select * from {{ ref('int_file_field_completeness') }}
),

files as (
    select
        r.*,
        coalesce(strptime(r.period, '%Y-%m')::date, date_trunc('month', r.ingested_at)::date) as month,
        r.period is not null as has_period,
        c.n_cells,
        c.n_cells_filled
    from registry as r
    left join completeness as c on c.file_id = r.file_id and r.status = 'loaded'
),

-- counts summed over the month's files; ties go to the first field name (arg_max on a tie
-- picked whichever row its parallel scan met first, so reruns could disagree)
top_field as (
    select
        dataset,
        month,
        first(field order by n desc, field) as top_quarantine_field
    from (
        select f.dataset, f.month, q.field, count(*) as n
        from quarantine as q
        inner join files as f on f.file_id = q.file_id and f.status = 'loaded'
        group by all
    )
    group by all
),

by_month as (
    select
        -- ids
        source_name,
        dataset,
        month,
        -- counts
        count(*) filter (where status = 'loaded') as n_files_loaded,
        count(*) filter (where status = 'failed') as n_files_failed,
        count(*) filter (where status = 'superseded') as n_files_superseded,
        coalesce(sum(n_rows_in) filter (where status = 'loaded'), 0) as n_rows_in,
        coalesce(sum(n_rows_loaded) filter (where status = 'loaded'), 0) as n_rows_loaded,
        coalesce(sum(n_rows_quarantined) filter (where status = 'loaded'), 0) as n_rows_quarantined,
        coalesce(sum(n_cells) filter (where status = 'loaded'), 0) as n_cells,
        coalesce(sum(n_cells_filled) filter (where status = 'loaded'), 0) as n_cells_filled,
        -- timeliness
        bool_and(has_period) as has_period,
        max(ingested_at) filter (where status = 'loaded') as last_ingested_at,
        max(date_diff('day', last_day(month), ingested_at::date)) filter (where status = 'loaded' and has_period)
            as delivery_lag_days
    from files
    group by all
),

final as (
    select
        b.source_name,
        b.dataset,
        b.month,
        -- counts
        b.n_files_loaded,
        b.n_files_failed,
        b.n_files_superseded,
        b.n_rows_in,
        b.n_rows_loaded,
        b.n_rows_quarantined,
        -- quality
        case when b.n_cells > 0 then b.n_cells_filled::double / b.n_cells end as completeness,
        case when b.n_rows_in > 0 then b.n_rows_loaded::double / b.n_rows_in end as validity,
        b.delivery_lag_days,
        case when b.has_period then b.delivery_lag_days <= {{ var('delivery_deadline_days', 15) }} end as is_on_time,
        b.n_rows_in = b.n_rows_loaded + b.n_rows_quarantined as is_reconciled,
        t.top_quarantine_field,
        b.last_ingested_at
    from by_month as b
    left join top_field as t on t.dataset = b.dataset and t.month = b.month
)

select * from final
