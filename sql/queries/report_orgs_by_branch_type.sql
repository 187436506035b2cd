-- One town's organisations by branch type (the committee as 镇党委) and level, with their members
-- in the year: the 基本情况 table of the work summary.
select
    c.branch_type_label,
    count(*) as orgs,
    count(*) filter (where c.org_level = 'committee') as committees,
    count(*) filter (where c.org_level = 'general_branch') as general_branches,
    count(*) filter (where c.org_level = 'branch') as branches,
    sum(c.members)::bigint as members
from v_member_coverage as c
inner join branch_types as b on b.branch_type is not distinct from c.branch_type
where c.town_id = $town_id and c.year = $year
group by c.branch_type_label, b.sort_order
order by b.sort_order
