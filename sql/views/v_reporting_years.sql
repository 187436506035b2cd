-- materialise: yes
-- The years the records speak of, each with the date its figures are counted to (the as-of date):
-- 31 December for a finished year, the load's as-of date for the year in progress.
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
        l.as_of as load_as_of
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
comment on column v_reporting_years.is_complete is '年度是否已结束（截止日已到 12 月 31 日）';
comment on column v_reporting_years.elapsed_fraction is '截止日时年度已过去的比例（0 到 1），用于按当前进度推算年底';
