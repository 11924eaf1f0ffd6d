-- grain: date_day
-- The China work calendar, computed by the ETL from chinese-calendar into raw.calendar.
create or replace table dim_date as
with calendar as (select * from raw.calendar),
final as (
    select
        date_day,
        year(date_day) as year,
        quarter(date_day) as quarter,
        month(date_day) as month,
        strftime(date_day, '%Y-%m') as year_month,
        day(date_day) as day_of_month,
        isodow(date_day) as day_of_week,
        day_kind,
        day_kind in ('workday', 'adjusted_workday') as is_workday,
        isodow(date_day) >= 6 as is_weekend,
        day_kind = 'holiday' as is_holiday,
        day_kind = 'adjusted_workday' as is_adjusted_workday,
        holiday_name,
        calendar_known
    from calendar
)
select * from final;
