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
        calendar_known,
        -- working minutes (09:00-18:00 on workdays) before this day began, from the first
        -- day of the calendar: a duration in working time is a difference of two positions
        540 * (sum(case when day_kind in ('workday', 'adjusted_workday') then 1 else 0 end)
                   over (order by date_day)
               - case when day_kind in ('workday', 'adjusted_workday') then 1 else 0 end)
            as work_minutes_before
    from calendar
)
select * from final;

-- The position of a timestamp on the working clock, given its day's row of dim_date.
create or replace macro work_minute_at(ts, work_minutes_before, is_workday) as
    work_minutes_before + case when is_workday then least(greatest(
        hour(ts) * 60 + minute(ts) + second(ts) / 60.0 - 540, 0), 540) else 0 end;
