-- Fulfilment of one town's approved pledges in one year, by the branch type of the pledging org.
-- The committee's own pledges have no branch type: they form the group shown as 镇党委.
with
town_pledges as (
    select o.branch_type, p.review_status, p.fulfilment_status
    from pledges as p
    inner join orgs as o using (org_id)
    where o.town_id = $town_id and p.year = $year
),
final as (
    select
        branch_type,
        count(*) as pledges,
        count(*) filter (where review_status = '已通过') as approved,
        count(*) filter (where review_status = '已通过' and fulfilment_status = '已兑现') as fulfilled
    from town_pledges
    group by branch_type
)
select
    *,
    case when approved > 0 then fulfilled / approved end as fulfilment_rate
from final
order by branch_type nulls first
