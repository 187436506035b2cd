-- Every reference points at a row that exists. Failing rows: the reference and the dangling value.
select 'orgs.town_id → towns' as reference, o.town_id as value
from orgs as o anti join towns as t on t.town_id = o.town_id
union all
select 'orgs.parent_org_id → orgs', o.parent_org_id
from orgs as o anti join orgs as p on p.org_id = o.parent_org_id
where o.parent_org_id is not null and o.org_level <> 'committee'
union all
select 'members.org_id → orgs', m.org_id from members as m anti join orgs as o on o.org_id = m.org_id
union all
select 'pledges.org_id → orgs', p.org_id from pledges as p anti join orgs as o on o.org_id = p.org_id
union all
select 'pledges.member_id → members', p.member_id
from pledges as p anti join members as m on m.member_id = p.member_id
where p.member_id is not null
union all
select 'pledges.reviewed_by → orgs', p.reviewed_by
from pledges as p anti join orgs as o on o.org_id = p.reviewed_by
where p.reviewed_by is not null
union all
select 'awards.org_id → orgs', a.org_id from awards as a anti join orgs as o on o.org_id = a.org_id
union all
select 'awards.member_id → members', a.member_id
from awards as a anti join members as m on m.member_id = a.member_id
where a.member_id is not null
union all
select 'assessments.org_id → orgs', a.org_id from assessments as a anti join orgs as o on o.org_id = a.org_id
union all
select 'criteria.indicator → indicators', c.indicator
from criteria as c anti join indicators as i on i.indicator = c.indicator
union all
-- the Python catalogue and the SQL that measures it must not drift apart, in either direction
select 'indicators → v_town_indicators', i.indicator
from indicators as i anti join (select distinct indicator from v_town_indicators) as v on v.indicator = i.indicator
where exists (select 1 from v_town_summary)
union all
select 'v_town_comparison.town_id → towns', c.town_id
from v_town_comparison as c anti join towns as t on t.town_id = c.town_id
