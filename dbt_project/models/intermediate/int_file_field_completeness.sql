{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='file_id', on_schema_change='sync_all_columns') }}
{#- One row per loaded landing file: rows stored and the share of its stored cells that are
    filled (every contract column after the firewall, lineage columns excluded). Only files
    registered since the last build are scanned. -#}
{%- set datasets = [
    ('reference', 'raw_admin_units'), ('reference', 'raw_population'), ('reference', 'raw_service_capacity'),
    ('reference', 'raw_township_geo'), ('health', 'raw_hotline_calls'), ('health', 'raw_maternal_screening'),
    ('health', 'raw_outpatient_visits'), ('health', 'raw_smd_followup'), ('health', 'raw_smd_registry'),
    ('public_security', 'raw_incidents'), ('petitions', 'raw_petitions'), ('schools', 'raw_schools'),
    ('schools', 'raw_student_screening'),
] %}
{#- contract columns of every raw table from one catalogue query (a metadata query per
    table cost ~0.6 s of every run) -#}
{%- set columns_of = {} %}
{%- if execute %}
{%- set raw = source(datasets[0][0], datasets[0][1]) %}
{%- set catalogue = run_query(
    "select table_name, column_name from duckdb_columns()"
    ~ " where database_name = '" ~ raw.database ~ "' and schema_name = '" ~ raw.schema ~ "'"
    ~ " and not starts_with(column_name, '_')"
    ~ " and table_name in ('" ~ datasets | map(attribute=1) | join("', '") ~ "')"
    ~ " order by table_name, column_index") %}
{%- for row in catalogue.rows %}{% do columns_of.setdefault(row[0], []).append(row[1]) %}{% endfor %}
{%- endif %}
with
{%- for src, table in datasets %}
{%- set rel = source(src, table) %}
{%- set cols = columns_of.get(table, []) %}
{{ table }} as (
    select
        _file_id as file_id,
        '{{ table[4:] }}' as dataset,
        count(*) as n_rows,
        {{ cols | length }} * count(*) as n_cells,
        sum(0 {%- for c in cols %} + ("{{ c }}" is not null)::int{% endfor %}) as n_cells_filled
    from {{ rel }}
    {%- if is_incremental() %}
    where _file_id in (
        select file_id from {{ ref('stg_ingest__file_registry') }}
        where ingested_at > (select coalesce(max(_source_watermark), timestamp '1900-01-01') from {{ this }})
    )
    {%- endif %}
    group by _file_id
),
{%- endfor %}

files as (
    {%- for src, table in datasets %}
    select * from {{ table }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select
    *,
    {{ source_watermark() }} as _source_watermark
from files
