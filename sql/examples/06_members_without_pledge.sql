-- 本年度尚未作出（或未通过）承诺的党员人数，按组织
select town_name as 乡镇, org_name as 组织, members as 党员数,
    members - members_pledged as 未承诺人数, round(coverage_rate * 100, 1) as 覆盖率_百分比
from v_member_coverage
where year = (select max(year) from v_reporting_years) and members > members_pledged
order by 未承诺人数 desc
limit 50
