-- 逾期未兑现承诺最多的党组织（本年度）
select town_name as 乡镇, org_name as 组织, branch_type_label as 支部类型,
    sum(overdue) as 逾期数, sum(approved) as 已通过
from v_pledge_fulfilment
where year = (select max(year) from v_reporting_years)
group by all
having sum(overdue) > 0
order by 逾期数 desc, 乡镇, 组织
limit 50
