-- materialise: yes
-- depends on: v_town_indicators
-- Each town's standing against each item of the demonstration standard (table criteria):
-- the measured value, the threshold, whether it is met, the gap, the points earned, and the same
-- judged on the year-end projection.
create view v_readiness_criteria as
with
matched as (
    select
        i.year,
        i.town_id,
        i.town_name,
        c.criterion_id,
        c.sort_order,
        c.good,
        c.indicator,
        c.indicator_label,
        c.unit,
        i.value,
        i.is_annual,
        i.awaiting_filing,
        c.operator,
        c.threshold,
        c.weight,
        c.deduct_points,
        c.deduct_step,
        c.veto,
        c.description,
        i.projected_value
    from criteria as c
    inner join v_town_indicators as i on i.indicator = c.indicator
),
judged as (
    select
        *,
        criterion_met(value, operator, threshold) as met,
        criterion_gap(value, operator, threshold) as gap,
        criterion_met(projected_value, operator, threshold) as projected_met,
        criterion_gap(projected_value, operator, threshold) as projected_gap
    from matched
),
final as (
    select
        year,
        town_id,
        town_name,
        criterion_id,
        sort_order,
        good,
        indicator,
        indicator_label,
        unit,
        value,
        is_annual,
        awaiting_filing,
        operator,
        threshold,
        met,
        gap,
        weight,
        criterion_points(met, gap, weight, deduct_points, deduct_step)::double as points,
        veto,
        description,
        projected_value,
        projected_met,
        criterion_points(projected_met, projected_gap, weight, deduct_points, deduct_step)::double
            as projected_points
    from judged
)
select * from final;

comment on view v_readiness_criteria is '示范标准逐项对照：每个乡镇、年度、评分项一行（指标值、标准值、是否达标、差距、得分、年底推算）';
comment on column v_readiness_criteria.year is '年度';
comment on column v_readiness_criteria.town_id is '乡镇编码';
comment on column v_readiness_criteria.town_name is '乡镇名称';
comment on column v_readiness_criteria.criterion_id is '评分项编号（criteria.criterion_id）';
comment on column v_readiness_criteria.sort_order is '评分项在标准中的顺序';
comment on column v_readiness_criteria.good is '所属“五个好”';
comment on column v_readiness_criteria.indicator is '指标代码';
comment on column v_readiness_criteria.indicator_label is '指标名称';
comment on column v_readiness_criteria.unit is '单位：比例（0 到 1）/ 人 / 次 / 个 / 类';
comment on column v_readiness_criteria.value is '指标值（截至统计截止日）；无数据为空，按未达标计';
comment on column v_readiness_criteria.is_annual is '是否年度考核项（年度结束后填报）';
comment on column v_readiness_criteria.awaiting_filing is '待填报：当年尚未填报的年度考核项，不计入已可计分项';
comment on column v_readiness_criteria.operator is '比较方式：>= / <= / > / < / =';
comment on column v_readiness_criteria.threshold is '标准值';
comment on column v_readiness_criteria.met is '是否达标（无数据为否）';
comment on column v_readiness_criteria.gap is '差距：距标准值还差多少（已达标为 0，无数据为空）';
comment on column v_readiness_criteria.weight is '分值（满分）';
comment on column v_readiness_criteria.points is '得分：达标得满分，未达标按扣分规则扣完为止';
comment on column v_readiness_criteria.veto is '是否一票否决项';
comment on column v_readiness_criteria.description is '评分项说明';
comment on column v_readiness_criteria.projected_value is '按当前进度推算的年底指标值';
comment on column v_readiness_criteria.projected_met is '按年底推算值是否达标';
comment on column v_readiness_criteria.projected_points is '按年底推算值的得分';
