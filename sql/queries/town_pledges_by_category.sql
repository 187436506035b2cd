-- One town's pledges of the year by category (承诺类别); an empty category shows as 未分类.
-- $branch_type narrows to one branch type (NULL: all).
select
    coalesce(p.category, '未分类') as category,
    count(*) as pledges,
    count(*) filter (where p.review_status = '已通过') as approved,
    count(*) filter (where p.review_status = '已通过' and p.fulfilment_status = '已兑现') as fulfilled,
    count(*) filter (where p.review_status = '已通过' and p.fulfilment_status = '已兑现')
        / nullif(count(*) filter (where p.review_status = '已通过'), 0) as fulfilment_rate
from pledges as p
inner join orgs as o on o.org_id = p.org_id
where o.town_id = $town_id and p.year = $year and ($branch_type is null or o.branch_type = $branch_type)
group by all
order by pledges desc, category
