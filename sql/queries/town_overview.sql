-- Headline figures of one town ($town_id) in one year ($year).
-- Members count once they have joined by the end of the year (contract: member coverage).
with
town_orgs as (
    select org_id from orgs where town_id = $town_id
),
town_members as (
    select m.member_id
    from members as m
    inner join town_orgs using (org_id)
    where m.joined_on <= make_date($year, 12, 31)
),
town_pledges as (
    select p.review_status, p.fulfilment_status
    from pledges as p
    inner join town_orgs using (org_id)
    where p.year = $year
),
town_awards as (
    select a.award_id
    from awards as a
    left join members as m using (member_id)
    inner join town_orgs as o on o.org_id = coalesce(m.org_id, a.org_id)
    where a.year = $year
),
final as (
    select
        (select count(*) from town_orgs) as orgs,
        (select count(*) from town_members) as members,
        (select count(*) from town_pledges) as pledges,
        (select count(*) filter (where review_status = '已通过') from town_pledges) as approved,
        (select count(*) filter (where review_status = '已通过' and fulfilment_status = '已兑现')
         from town_pledges) as fulfilled,
        (select count(*) from town_awards) as vanguards
)
select
    *,
    case when approved > 0 then fulfilled / approved end as fulfilment_rate
from final
