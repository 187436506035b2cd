-- The backtest of the year-end projection (v_projection_backtest) at every month end, in the
-- catalogue's order, for `python -m analytics backtest`.
select
    b.indicator,
    coalesce(i.label, '示范创建得分') as indicator_label,
    coalesce(i.unit, '分') as unit,
    b.cutoff as month,
    b.cases,
    b.mean_abs_error,
    b.max_abs_error,
    b.linear_mean_abs_error,
    b.linear_max_abs_error,
    b.status_match_share,
    b.linear_status_match_share
from v_projection_backtest as b
left join indicators as i on i.indicator = b.indicator
where b.cutoff between 1 and 12
    and b.indicator in ('fulfilment_rate', 'member_fulfilment_rate', 'vanguards_per_100', 'vanguard_kinds', 'readiness_score')
order by
    case b.indicator
        when 'fulfilment_rate' then 1 when 'member_fulfilment_rate' then 2 when 'vanguards_per_100' then 3
        when 'vanguard_kinds' then 4 else 5
    end,
    b.cutoff
