-- grain: asset_id
-- references: unit_id -> dim_org.org_id, custodian_id -> stg_hr__person.person_id
-- One row per live asset card, with what net book value needs (METRICS.md asset): straight
-- line over useful_life_months from the acquisition month (当月增加当月计提), no charge from the
-- disposal month on (当月减少当月不再计提), residual 0. As of a date d:
--   months = least(greatest(datediff('month', depreciation_start_month, d) + 1, 0), depreciable_months)
--   net_book_value = greatest(0, round(original_value - original_value * months / useful_life_months, 2))
-- depreciable_months already stops at the disposal month. Not depreciated (useful life null):
-- net_book_value = original_value. fully_depreciated_date: from this date on the value is 0.
-- A row that names a withdrawn (soft-deleted) person is held back by the src views, like every
-- row whose parent is withdrawn (etl/run.py _clean_views); person_id is null only when unset.
create or replace table fact_asset_card as
with cards as (select * from stg_asset__asset_card),
staff as (select person_id from stg_hr__person),
lives as (
    select
        c.* replace (s.person_id as custodian_id),
        useful_life_years * 12 as useful_life_months,
        date_trunc('month', acquired_date) as depreciation_start_month,
        date_trunc('month', disposed_date) as disposal_month
    from cards c
    left join staff s on s.person_id = c.custodian_id
),
final as (
    select
        asset_card_id as asset_id,
        asset_no,
        name,
        class_code,
        case class_code
            when 'A01' then '房屋和构筑物' when 'A02' then '设备' when 'A03' then '文物和陈列品'
            when 'A04' then '图书和档案' when 'A05' then '家具和用具' when 'A06' then '特种动植物'
            when 'A07' then '物资' when 'A08' then '无形资产'
        end as class_name,
        category_code,
        spec,
        original_value,
        acquired_date,
        useful_life_years,
        useful_life_months,
        useful_life_years is not null as is_depreciable,
        cast(depreciation_start_month as date) as depreciation_start_month,
        case
            when useful_life_months is null then null
            when disposal_month is null then useful_life_months
            -- greatest() skips nulls in DuckDB, so the disposal case is spelled out
            else least(useful_life_months,
                       greatest(datediff('month', depreciation_start_month, disposal_month), 0))
        end as depreciable_months,
        case when useful_life_months is not null then
            cast(original_value as double) / useful_life_months
        end as monthly_depreciation,
        case when useful_life_months is not null then
            cast(depreciation_start_month + to_months(useful_life_months - 1) as date)
        end as fully_depreciated_date,
        unit_id,
        custodian_id,
        location,
        status,
        status = '已处置' as is_disposed,
        disposed_date
    from lives
)
select * from final;
