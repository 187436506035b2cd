-- materialise: yes
-- depends on: v_town_summary, v_reporting_years, v_town_projection, v_projection_backtest
-- Every indicator of the catalogue (table indicators) for every town and year, in long form, so a
-- county's standard can pick any of them by code; beside each value: the same date last year
-- (同期), last year's final, and, for the year in progress, the year-end projection by the season
-- of past years (v_town_projection) with the error the same projection made in past years on this
-- date (v_projection_backtest). Annual items (the assessment) are filed after the year closes:
-- a year in progress has no value for them (待填报) and no 同期.
create view v_town_indicators as
with
measured as (
    select year, town_id, town_name, 'violations' as indicator, cast(violations as double) as value from v_town_summary
    union all
    select year, town_id, town_name, 'failed_members', cast(failed_members as double) from v_town_summary
    union all
    select year, town_id, town_name, 'leadership_good_rate', leadership_good_rate from v_town_summary
    union all
    select year, town_id, town_name, 'member_coverage', coverage_rate from v_town_summary
    union all
    select year, town_id, town_name, 'member_fulfilment_rate', member_fulfilment_rate from v_town_summary
    union all
    select year, town_id, town_name, 'fulfilment_rate', fulfilment_rate from v_town_summary
    union all
    select year, town_id, town_name, 'review_rate', review_rate from v_town_summary
    union all
    select year, town_id, town_name, 'org_pledge_coverage', org_pledge_coverage from v_town_summary
    union all
    select year, town_id, town_name, 'overdue_pledges', cast(overdue as double) from v_town_summary
    union all
    select year, town_id, town_name, 'meetings_per_org', meetings_per_org from v_town_summary
    union all
    select year, town_id, town_name, 'satisfaction_rate', satisfaction_rate from v_town_summary
    union all
    select year, town_id, town_name, 'mass_rating_rate', mass_rating_rate from v_town_summary
    union all
    select year, town_id, town_name, 'vanguards_per_100', vanguards_per_100 from v_town_summary
    union all
    select year, town_id, town_name, 'vanguard_kinds', cast(vanguard_kinds as double) from v_town_summary
),
flagged as (
    select
        m.*,
        m.indicator in ('violations', 'failed_members', 'leadership_good_rate', 'meetings_per_org', 'satisfaction_rate')
            as is_annual
    from measured as m
),
errors_now as (
    select indicator, mean_abs_error, max_abs_error, cases
    from v_projection_backtest
    where cutoff = 0
),
final as (
    select
        m.year,
        m.town_id,
        m.town_name,
        m.indicator,
        i.label as indicator_label,
        i.unit,
        m.is_annual,
        m.is_annual and m.value is null and not y.is_complete as awaiting_filing,
        m.value,
        case when y.is_complete then m.value else p.projected_value end as projected_value,
        case when not y.is_complete then e.mean_abs_error end as projection_error,
        case when not y.is_complete then e.max_abs_error end as projection_error_worst,
        case when not m.is_annual then sd.value_to_date end as value_same_date_last_year,
        ly.value as value_last_year
    from flagged as m
    inner join v_reporting_years as y on y.year = m.year
    left join indicators as i on i.indicator = m.indicator
    left join v_town_projection as p
        on p.year = m.year and p.town_id = m.town_id and p.indicator = m.indicator and p.cutoff = 0
    left join v_town_projection as sd
        on sd.year = m.year - 1 and sd.town_id = m.town_id and sd.indicator = m.indicator and sd.cutoff = 0
    left join measured as ly on ly.year = m.year - 1 and ly.town_id = m.town_id and ly.indicator = m.indicator
    left join errors_now as e on e.indicator = m.indicator
)
select * from final;

comment on view v_town_indicators is '乡镇指标值：每个乡镇、年度、指标一行（指标目录见表 indicators），含同期值、上年全年值和年底推算，供评定标准引用';
comment on column v_town_indicators.year is '年度';
comment on column v_town_indicators.town_id is '乡镇编码';
comment on column v_town_indicators.town_name is '乡镇名称';
comment on column v_town_indicators.indicator is '指标代码';
comment on column v_town_indicators.indicator_label is '指标名称';
comment on column v_town_indicators.unit is '单位：比例（0 到 1）/ 人 / 次 / 个 / 类';
comment on column v_town_indicators.is_annual is '是否年度考核项（年度结束后填报；当年为待填报，不计入已可计分项）';
comment on column v_town_indicators.awaiting_filing is '待填报：年度考核项，年度尚未结束、尚未填报（不计 0 分，也不计入已可计分项）';
comment on column v_town_indicators.value is '截至统计截止日的指标值；无数据（如年度考核尚未填报）为空';
comment on column v_town_indicators.projected_value is '年底推算值：当年按往年同期规律推算（见 v_town_projection），年度考核项取往年平均（违纪违法、不合格人数取往年中位数）；往年等于 value';
comment on column v_town_indicators.projection_error is '当年推算的误差带：同一推算方法在往年同一日期的平均绝对误差（见 v_projection_backtest）；往年为空';
comment on column v_town_indicators.projection_error_worst is '当年推算在往年同一日期的最大绝对误差；往年为空';
comment on column v_town_indicators.value_same_date_last_year is '上年同期值：上年记录截至同月同日（2 月 29 日取 2 月 28 日）的指标值；年度考核项为空；覆盖率、审核率等年初即定的指标取上年值';
comment on column v_town_indicators.value_last_year is '上一年度全年的指标值';
