-- materialise: yes
-- depends on: v_town_projection, v_reporting_years
-- How wrong the year-end projection was in the warehouse's own past: every finished year that has
-- a finished year before it is replayed from its own records at every month end (cutoff 1–12) and
-- on the load's month and day (cutoff 0), and the projection made then is set against the year's
-- real result, beside the linear pace's. The pages take their error band (误差约 ±…) from the rows of
-- cutoff 0; `python -m analytics backtest` prints the month ends. The readiness score is replayed
-- through the standard (table criteria) as it stands: indicator 'readiness_score', errors in points,
-- with the share of towns whose projected status (达标 / 接近 / 差距较大) was the one the year earned.
create view v_projection_backtest as
with
tested_years as (
    select y.year
    from v_reporting_years as y
    where y.is_complete and exists (
        select 1 from v_reporting_years as p where p.year = y.year - 1 and p.is_complete
    )
),
replayed as (
    select p.*
    from v_town_projection as p
    inner join tested_years as t on t.year = p.year
),
indicator_errors as (
    select
        indicator,
        cutoff,
        count(*) as cases,
        avg(abs(projected_value - final_value)) as mean_abs_error,
        max(abs(projected_value - final_value)) as max_abs_error,
        avg(abs(linear_value - final_value)) as linear_mean_abs_error,
        max(abs(linear_value - final_value)) as linear_max_abs_error,
        cast(null as double) as status_match_share,
        cast(null as double) as linear_status_match_share
    from replayed
    where projected_value is not null and final_value is not null and linear_value is not null
    group by indicator, cutoff
),
scored as (
    select
        r.year,
        r.town_id,
        r.cutoff,
        c.veto,
        criterion_met(r.final_value, c.operator, c.threshold) as met,
        criterion_points(
            criterion_met(r.final_value, c.operator, c.threshold),
            criterion_gap(r.final_value, c.operator, c.threshold), c.weight, c.deduct_points, c.deduct_step
        ) as points,
        criterion_met(r.projected_value, c.operator, c.threshold) as projected_met,
        criterion_points(
            criterion_met(r.projected_value, c.operator, c.threshold),
            criterion_gap(r.projected_value, c.operator, c.threshold), c.weight, c.deduct_points, c.deduct_step
        ) as projected_points,
        criterion_met(r.linear_value, c.operator, c.threshold) as linear_met,
        criterion_points(
            criterion_met(r.linear_value, c.operator, c.threshold),
            criterion_gap(r.linear_value, c.operator, c.threshold), c.weight, c.deduct_points, c.deduct_step
        ) as linear_points
    from replayed as r
    inner join criteria as c on c.indicator = r.indicator
),
town_scores as (
    select
        year,
        town_id,
        cutoff,
        sum(points) as score,
        sum(projected_points) as projected_score,
        sum(linear_points) as linear_score,
        max(case when veto and not met then 1 else 0 end) as veto_failed,
        max(case when veto and not projected_met then 1 else 0 end) as projected_veto_failed,
        max(case when veto and not linear_met then 1 else 0 end) as linear_veto_failed
    from scored
    group by year, town_id, cutoff
),
bands as (
    select
        max(case when status = '达标' then min_score end) as pass_score,
        max(case when status = '接近' then min_score end) as near_score
    from criteria_bands
),
graded as (
    select
        s.*,
        case when s.veto_failed = 1 then '差距较大' when s.score >= b.pass_score - 1e-9 then '达标'
            when s.score >= b.near_score - 1e-9 then '接近' else '差距较大' end as status,
        case when s.projected_veto_failed = 1 then '差距较大' when s.projected_score >= b.pass_score - 1e-9 then '达标'
            when s.projected_score >= b.near_score - 1e-9 then '接近' else '差距较大' end as projected_status,
        case when s.linear_veto_failed = 1 then '差距较大' when s.linear_score >= b.pass_score - 1e-9 then '达标'
            when s.linear_score >= b.near_score - 1e-9 then '接近' else '差距较大' end as linear_status
    from town_scores as s
    cross join bands as b
),
score_errors as (
    select
        'readiness_score' as indicator,
        cutoff,
        count(*) as cases,
        avg(abs(projected_score - score)) as mean_abs_error,
        max(abs(projected_score - score)) as max_abs_error,
        avg(abs(linear_score - score)) as linear_mean_abs_error,
        max(abs(linear_score - score)) as linear_max_abs_error,
        avg(case when projected_status = status then 1.0 else 0.0 end) as status_match_share,
        avg(case when linear_status = status then 1.0 else 0.0 end) as linear_status_match_share
    from graded
    group by cutoff
),
final as (
    select * from indicator_errors
    union all
    select * from score_errors
)
select * from final;

comment on view v_projection_backtest is '年底推算的回测：把每个往年（有上一年度可参照的）按当时已有的记录在各月月末和同期日重新推算，与全年实际值比较的误差，季节推算与线性推算并列';
comment on column v_projection_backtest.indicator is '指标代码；readiness_score 为示范创建得分（分）';
comment on column v_projection_backtest.cutoff is '截止点：1–12 为该月月末，0 为与最近一次装载同月同日（页面上的误差带取此行）';
comment on column v_projection_backtest.cases is '参与回测的乡镇年度数';
comment on column v_projection_backtest.mean_abs_error is '按往年同期推算的平均绝对误差（比例指标为 0 到 1，得分为分）';
comment on column v_projection_backtest.max_abs_error is '按往年同期推算的最大绝对误差';
comment on column v_projection_backtest.linear_mean_abs_error is '线性推算的平均绝对误差';
comment on column v_projection_backtest.linear_max_abs_error is '线性推算的最大绝对误差';
comment on column v_projection_backtest.status_match_share is '推算等级与全年实际等级一致的乡镇比例（只对 readiness_score）';
comment on column v_projection_backtest.linear_status_match_share is '线性推算等级与实际一致的比例（只对 readiness_score）';
