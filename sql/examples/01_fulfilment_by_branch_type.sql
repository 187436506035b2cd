-- 本年度各类党组织承诺兑现率（全县）
select
    branch_type_label as 支部类型,
    sum(pledges) as 承诺数,
    sum(approved) as 已通过,
    sum(fulfilled) as 已兑现,
    round(sum(fulfilled) / nullif(sum(approved), 0) * 100, 1) as 兑现率_百分比
from v_fulfilment_by_branch_type
where year = (select max(year) from v_reporting_years)
group by branch_type_label
order by 兑现率_百分比 desc nulls last
