-- materialise: yes
-- depends on: v_town_summary, v_readiness
-- Towns side by side for county leaders: per-100-member figures so towns of different size compare
-- fairly, the readiness score, the rank within the county (1 = highest score, ties share a rank:
-- 1, 2, 2, 4) and the change in rank against the year before.
create view v_town_comparison as
with
scored as (
    select
        s.year,
        s.town_id,
        s.town_name,
        s.county_name,
        s.orgs,
        s.members,
        s.pledges,
        s.approved,
        s.fulfilled,
        s.fulfilment_rate,
        s.approved_per_100,
        s.fulfilled_per_100,
        s.coverage_rate,
        s.vanguards,
        s.vanguards_per_100,
        s.satisfaction_rate,
        r.score as readiness_score,
        r.score_max as readiness_score_max,
        r.status as readiness_status,
        r.criteria_met,
        r.criteria_total,
        r.projected_status,
        r.projected_score,
        r.projected_score_error,
        r.score_measurable,
        r.score_max_measurable,
        r.criteria_awaiting
    from v_town_summary as s
    inner join v_readiness as r on r.year = s.year and r.town_id = s.town_id
),
ranked as (
    select
        *,
        -- rounded so that sums of the same points added in another order still tie
        rank() over (partition by year, county_name order by round(readiness_score, 6) desc) as rank,
        -- a year in progress is ranked on the year-end projection too (the pages use it then)
        rank() over (partition by year, county_name order by round(projected_score, 6) desc) as projected_rank
    from scored
),
final as (
    select
        cur.*,
        prev.rank as previous_rank,
        prev.rank - cur.rank as rank_change
    from ranked as cur
    left join ranked as prev on prev.town_id = cur.town_id and prev.year = cur.year - 1
)
select * from final;

comment on view v_town_comparison is '乡镇对比：每个乡镇每个年度一行，含每百名党员指标、示范创建得分、县内排名及排名变化';
comment on column v_town_comparison.year is '年度';
comment on column v_town_comparison.town_id is '乡镇编码';
comment on column v_town_comparison.town_name is '乡镇名称';
comment on column v_town_comparison.county_name is '所属县（排名在县内进行）';
comment on column v_town_comparison.orgs is '党组织数';
comment on column v_town_comparison.members is '党员数（当年年底前已入党）';
comment on column v_town_comparison.pledges is '承诺数';
comment on column v_town_comparison.approved is '已通过审核的承诺数';
comment on column v_town_comparison.fulfilled is '已兑现数';
comment on column v_town_comparison.fulfilment_rate is '兑现率 = fulfilled / approved；无已通过承诺时为空';
comment on column v_town_comparison.approved_per_100 is '每百名党员已通过承诺数';
comment on column v_town_comparison.fulfilled_per_100 is '每百名党员已兑现承诺数';
comment on column v_town_comparison.coverage_rate is '党员承诺覆盖率';
comment on column v_town_comparison.vanguards is '先锋数';
comment on column v_town_comparison.vanguards_per_100 is '每百名党员先锋数';
comment on column v_town_comparison.satisfaction_rate is '群众满意率';
comment on column v_town_comparison.readiness_score is '示范创建得分（v_readiness.score）';
comment on column v_town_comparison.readiness_score_max is '满分';
comment on column v_town_comparison.readiness_status is '示范创建等级：达标 / 接近 / 差距较大';
comment on column v_town_comparison.criteria_met is '达标的评分项数';
comment on column v_town_comparison.criteria_total is '评分项总数';
comment on column v_town_comparison.projected_status is '按当前进度推算的年底等级';
comment on column v_town_comparison.projected_score is '按往年同期规律推算的年底得分（往年等于得分）';
comment on column v_town_comparison.projected_score_error is '推算得分的误差带（往年同一日期的平均绝对误差，分）；往年为空';
comment on column v_town_comparison.score_measurable is '已可计分项的得分';
comment on column v_town_comparison.score_max_measurable is '已可计分项的满分';
comment on column v_town_comparison.criteria_awaiting is '待填报的评分项数';
comment on column v_town_comparison.projected_rank is '按年底推算得分的县内排名（当年进行中时页面用它排名）';
comment on column v_town_comparison.rank is '县内排名：按示范创建得分从高到低，1 为最高，同分并列（1、2、2、4）';
comment on column v_town_comparison.previous_rank is '上一年度县内排名；上一年度无数据为空';
comment on column v_town_comparison.rank_change is '排名变化 = 上年排名 − 今年排名：正数为上升，负数为下降，上年无数据为空';
