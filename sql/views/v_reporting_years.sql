-- materialise: yes
-- The years the records speak of, each with the date its figures are counted to (the as-of date):
-- 31 December for a finished year, the load's as-of date for the year in progress. Overdue is judged
-- at 1 January of the next year for a finished year (a pledge due on 31 December and not fulfilled
-- in its year is overdue); same_date is the load's month and day in each year (同期; 29 February
-- falls on 28 February in a year without one).
-- Materialised although tiny: every other view joins it, and computing it scans every pledge.
create view v_reporting_years as
with
latest_load as (
    select as_of
    from loads
    order by loaded_at desc, load_id desc
    limit 1
),
data_years as (
    select year from pledges
    union
    select year from awards
    union
    select year from assessments
),
bounds as (
    select
        y.year,
        make_date(y.year, 1, 1) as year_start,
        make_date(y.year, 12, 31) as year_end,
        l.as_of as load_as_of,
        month(l.as_of) as as_of_month,
        day(l.as_of) as as_of_day
    from data_years as y
    cross join latest_load as l
),
final as (
    select
        year,
        year_start,
        year_end,
        least(year_end, load_as_of) as as_of,
        load_as_of >= year_end as is_complete,
        case when load_as_of >= year_end then make_date(year + 1, 1, 1) else load_as_of end as overdue_as_of,
        make_date(
            year,
            as_of_month,
            case
                when as_of_month = 2 and as_of_day = 29
                    and not ((year % 4 = 0 and year % 100 <> 0) or year % 400 = 0)
                    then 28
                else as_of_day
            end
        ) as same_date,
        case
            when load_as_of >= year_end then 1.0
            when load_as_of < year_start then 0.0
            else (date_diff('day', year_start, load_as_of) + 1) / (date_diff('day', year_start, year_end) + 1)
        end as elapsed_fraction
    from bounds
)
select * from final;

comment on view v_reporting_years is '统计年度：承诺、表彰或考核中出现的每个年度，及其统计截止日';
comment on column v_reporting_years.year is '年度';
comment on column v_reporting_years.year_start is '年度第一天';
comment on column v_reporting_years.year_end is '年度最后一天（12 月 31 日）';
comment on column v_reporting_years.as_of is '统计截止日：往年为 12 月 31 日，当年为最近一次装载的统计截止日';
comment on column v_reporting_years.overdue_as_of is '判断逾期的日期：往年为次年 1 月 1 日（12 月 31 日到期未兑现即逾期），当年为统计截止日';
comment on column v_reporting_years.same_date is '同期日：最近一次装载截止日的月日落在该年度的日期（2 月 29 日在平年取 2 月 28 日）';
comment on column v_reporting_years.is_complete is '年度是否已结束（截止日已到 12 月 31 日）';
comment on column v_reporting_years.elapsed_fraction is '截止日时年度已过去的比例（0 到 1），用于按当前进度推算年底';
