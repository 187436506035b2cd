-- materialise: yes
-- depends on: v_readiness_criteria, v_projection_backtest, v_reporting_years
-- Each town's readiness for the title in a year: criteria met, score out of the standard's total,
-- and the band (table criteria_bands). A failed veto item (一票否决) rules out 达标 whatever the score.
create view v_readiness as
with
bands as (
    select
        max(min_score) filter (where status = '达标') as pass_score,
        max(min_score) filter (where status = '接近') as near_score
    from criteria_bands
),
totals as (
    select
        year,
        town_id,
        town_name,
        count(*) filter (where met) as criteria_met,
        count(*) as criteria_total,
        sum(points) as score,
        sum(weight) as score_max,
        -- 已可计分: items that can be measured now; 待填报 ones are neither 0 nor in the denominator
        count(*) filter (where not awaiting_filing) as criteria_measurable,
        count(*) filter (where awaiting_filing) as criteria_awaiting,
        count(*) filter (where met and not awaiting_filing) as criteria_measurable_met,
        coalesce(sum(points) filter (where not awaiting_filing), 0) as score_measurable,
        coalesce(sum(weight) filter (where not awaiting_filing), 0) as score_max_measurable,
        coalesce(bool_or(veto and not met), false) as veto_failed,
        count(*) filter (where projected_met) as projected_criteria_met,
        sum(projected_points) as projected_score,
        coalesce(bool_or(veto and not projected_met), false) as projected_veto_failed,
        list(indicator_label order by sort_order) filter (where not met) as criteria_missing
    from v_readiness_criteria
    group by year, town_id, town_name
),
graded as (
    select
        t.year,
        t.town_id,
        t.town_name,
        t.criteria_met,
        t.criteria_total,
        t.score,
        t.score_max,
        t.criteria_measurable,
        t.criteria_awaiting,
        t.criteria_measurable_met,
        t.score_measurable,
        t.score_max_measurable,
        case
            when t.veto_failed then '差距较大'
            when t.score >= b.pass_score - 1e-9 then '达标'
            when t.score >= b.near_score - 1e-9 then '接近'
            else '差距较大'
        end as status,
        t.veto_failed,
        coalesce(t.criteria_missing, []) as criteria_missing,
        t.projected_criteria_met,
        t.projected_score,
        case
            when t.projected_score is null then null
            when t.projected_veto_failed then '差距较大'
            when t.projected_score >= b.pass_score - 1e-9 then '达标'
            when t.projected_score >= b.near_score - 1e-9 then '接近'
            else '差距较大'
        end as projected_status
    from totals as t
    cross join bands as b
),
score_error as (
    select mean_abs_error, max_abs_error, status_match_share
    from v_projection_backtest
    where indicator = 'readiness_score' and cutoff = 0
),
final as (
    select
        g.*,
        g.projected_status = '达标' as on_track,
        y.is_complete as year_complete,
        case when not y.is_complete then e.mean_abs_error end as projected_score_error,
        case when not y.is_complete then e.max_abs_error end as projected_score_error_worst,
        case when not y.is_complete then e.status_match_share end as projected_status_match_share
    from graded as g
    inner join v_reporting_years as y on y.year = g.year
    left join score_error as e on true
)
select * from final;

comment on view v_readiness is '示范单位创建进度：每个乡镇每个年度一行（达标项数、得分、等级、年底推算）';
comment on column v_readiness.year is '年度';
comment on column v_readiness.town_id is '乡镇编码';
comment on column v_readiness.town_name is '乡镇名称';
comment on column v_readiness.criteria_met is '达标的评分项数';
comment on column v_readiness.criteria_total is '评分项总数';
comment on column v_readiness.score is '得分（各评分项得分之和）';
comment on column v_readiness.score_max is '满分（各评分项分值之和）';
comment on column v_readiness.criteria_measurable is '已可计分的评分项数（不含待填报的年度考核项）';
comment on column v_readiness.criteria_awaiting is '待填报的评分项数（当年尚未填报的年度考核项）';
comment on column v_readiness.criteria_measurable_met is '已可计分项中达标的项数';
comment on column v_readiness.score_measurable is '已可计分项的得分（已可计分 x / y 的 x）';
comment on column v_readiness.score_max_measurable is '已可计分项的满分（已可计分 x / y 的 y）';
comment on column v_readiness.year_complete is '年度是否已结束（进行中的年度以年底推算为准，标“预计”）';
comment on column v_readiness.projected_score_error is '年底推算得分的误差带：同一推算在往年同一日期的平均绝对误差（分）；往年为空';
comment on column v_readiness.projected_score_error_worst is '年底推算得分在往年同一日期的最大绝对误差（分）';
comment on column v_readiness.projected_status_match_share is '往年同一日期推算等级与全年实际等级一致的乡镇比例';
comment on column v_readiness.status is '等级：达标 / 接近 / 差距较大（分数线见 criteria_bands；一票否决项未达标为差距较大）';
comment on column v_readiness.veto_failed is '是否有一票否决项未达标';
comment on column v_readiness.criteria_missing is '尚未达标的评分项（指标名称，按标准顺序）';
comment on column v_readiness.projected_criteria_met is '按当前进度推算年底达标的评分项数';
comment on column v_readiness.projected_score is '按当前进度推算的年底得分';
comment on column v_readiness.projected_status is '按当前进度推算的年底等级';
comment on column v_readiness.on_track is '按当前进度年底能否达标';
