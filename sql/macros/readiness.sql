-- Scoring rules of the demonstration standard, shared by the current and the projected score.
-- A tolerance of 1e-9 keeps 0.9 >= 0.9 true when the 0.9 came out of a division.

create macro criterion_met(value, operator, threshold) as coalesce(
    case operator
        when '>=' then value >= threshold - 1e-9
        when '<=' then value <= threshold + 1e-9
        when '>' then value > threshold + 1e-9
        when '<' then value < threshold - 1e-9
        when '=' then abs(value - threshold) <= 1e-9
    end,
    false
);
comment on macro criterion_met is '指标值是否满足评分项（无数据视为未达标）';

create macro criterion_gap(value, operator, threshold) as case
    when value is null then null
    when operator in ('>=', '>') then greatest(threshold - value, 0)
    when operator in ('<=', '<') then greatest(value - threshold, 0)
    else abs(value - threshold)
end;
comment on macro criterion_gap is '距标准值还差多少（与指标同单位；已达标为 0，无数据为空）';

-- "每差一档扣 N 分，扣完为止": a started step counts as a whole one; an unmet item loses at least one step.
create macro criterion_points(met, gap, weight, deduct_points, deduct_step) as case
    when met then weight
    when gap is null or deduct_points is null then 0
    else greatest(0, weight - greatest(1, ceil(gap / deduct_step - 1e-9)) * deduct_points)
end;
comment on macro criterion_points is '评分项得分：达标得满分；未达标按每差一档扣分，扣完为止；未设扣分或无数据得 0 分';
