-- materialise: yes
-- depends on: v_town_summary, v_reporting_years
-- Every indicator of the catalogue (table indicators) for every town and year, in long form, so a
-- county's standard can pick any of them by code. projected_value is the year-end figure at the
-- current pace: counts that accrue through the year (fulfilments, awards) are scaled from the
-- elapsed share of the year and capped where they must stop (at the approved pledges); figures
-- fixed once a year (coverage, reviews) are carried as they are; the annual assessment, which a
-- year in progress has not had yet, is projected by the town's last assessed year.
create view v_town_indicators as
with
paced as (
    select
        *,
        case when elapsed_fraction > 0 then least(approved, fulfilled / elapsed_fraction) end
            as projected_fulfilled,
        case when elapsed_fraction > 0 then least(member_approved, member_fulfilled / elapsed_fraction) end
            as projected_member_fulfilled,
        case when elapsed_fraction > 0 then vanguards / elapsed_fraction end as projected_vanguards
    from v_town_summary
),
measured as (
    select
        year,
        town_id,
        town_name,
        unnest(
            [
                {'indicator': 'violations', 'value': violations::double, 'projected_value': violations::double},
                {'indicator': 'failed_members', 'value': failed_members::double,
                 'projected_value': failed_members::double},
                {'indicator': 'leadership_good_rate', 'value': leadership_good_rate,
                 'projected_value': leadership_good_rate},
                {'indicator': 'member_coverage', 'value': coverage_rate, 'projected_value': coverage_rate},
                {'indicator': 'member_fulfilment_rate', 'value': member_fulfilment_rate,
                 'projected_value': projected_member_fulfilled / nullif(member_approved, 0)},
                {'indicator': 'fulfilment_rate', 'value': fulfilment_rate,
                 'projected_value': projected_fulfilled / nullif(approved, 0)},
                {'indicator': 'review_rate', 'value': review_rate, 'projected_value': review_rate},
                {'indicator': 'org_pledge_coverage', 'value': org_pledge_coverage,
                 'projected_value': org_pledge_coverage},
                {'indicator': 'overdue_pledges', 'value': overdue::double, 'projected_value': overdue::double},
                {'indicator': 'meetings_per_org', 'value': meetings_per_org, 'projected_value': meetings_per_org},
                {'indicator': 'satisfaction_rate', 'value': satisfaction_rate,
                 'projected_value': satisfaction_rate},
                {'indicator': 'mass_rating_rate', 'value': mass_rating_rate, 'projected_value': mass_rating_rate},
                {'indicator': 'vanguards_per_100', 'value': vanguards_per_100,
                 'projected_value': projected_vanguards * 100 / nullif(members, 0)},
                {'indicator': 'vanguard_kinds', 'value': vanguard_kinds::double,
                 'projected_value': vanguard_kinds::double}
            ],
            recursive := true
        )
    from paced
),
with_last_year as (
    select
        m.*,
        lag(m.value) over (partition by m.town_id, m.indicator order by m.year) as previous_value
    from measured as m
),
final as (
    select
        m.year,
        m.town_id,
        m.town_name,
        m.indicator,
        i.label as indicator_label,
        i.unit,
        m.value,
        case
            when m.indicator in ('violations', 'failed_members', 'leadership_good_rate', 'meetings_per_org',
                                 'satisfaction_rate')
                and not y.is_complete
                then coalesce(m.projected_value, m.previous_value)
            else m.projected_value
        end as projected_value
    from with_last_year as m
    inner join v_reporting_years as y on y.year = m.year
    left join indicators as i on i.indicator = m.indicator
)
select * from final;

comment on view v_town_indicators is '乡镇指标值：每个乡镇、年度、指标一行（指标目录见表 indicators），供评定标准引用';
comment on column v_town_indicators.year is '年度';
comment on column v_town_indicators.town_id is '乡镇编码';
comment on column v_town_indicators.town_name is '乡镇名称';
comment on column v_town_indicators.indicator is '指标代码';
comment on column v_town_indicators.indicator_label is '指标名称';
comment on column v_town_indicators.unit is '单位：比例（0 到 1）/ 人 / 次 / 个 / 类';
comment on column v_town_indicators.value is '截至统计截止日的指标值；无数据（如无年度考核记录）为空';
comment on column v_town_indicators.projected_value is '按当前进度推算的年底值：兑现和表彰按已过去的年度比例外推；当年尚无年度考核时取上一年度的考核结果；其余指标取当前值；往年等于 value';
