-- Figures by branch type add up to the town's totals, counted again here straight from the tables.
with
town_pledges as (
    select p.year, o.town_id, count(*) as pledges,
        count(*) filter (where p.review_status = '已通过') as approved,
        count(*) filter (where p.review_status = '已通过' and p.fulfilment_status = '已兑现') as fulfilled
    from pledges as p inner join orgs as o on o.org_id = p.org_id
    group by all
),
by_type as (
    select year, town_id, sum(pledges) as pledges, sum(approved) as approved, sum(fulfilled) as fulfilled
    from v_fulfilment_by_branch_type
    group by all
),
town_awards as (
    select a.year, o.town_id, count(*) as vanguards
    from awards as a
    left join members as m on m.member_id = a.member_id
    inner join orgs as o on o.org_id = coalesce(m.org_id, a.org_id)
    group by all
),
vanguards_by_type as (
    select year, town_id, sum(vanguards) as vanguards from v_vanguard_counts group by all
),
town_members as (
    select y.year, o.town_id, count(*) as members
    from members as m
    inner join orgs as o on o.org_id = m.org_id
    inner join v_reporting_years as y on m.joined_on <= y.year_end
    group by all
),
members_by_org as (
    select year, town_id, sum(members) as members from v_member_coverage group by all
)
select 'pledges by branch type' as check_name, t.year, t.town_id, t.pledges as expected, b.pledges as got
from town_pledges as t left join by_type as b using (year, town_id)
where b.pledges is distinct from t.pledges or b.approved is distinct from t.approved
    or b.fulfilled is distinct from t.fulfilled
union all
select 'pledges in the town summary', t.year, t.town_id, t.pledges, s.pledges
from town_pledges as t left join v_town_summary as s using (year, town_id)
where s.pledges is distinct from t.pledges or s.approved is distinct from t.approved
    or s.fulfilled is distinct from t.fulfilled
union all
select 'vanguards by branch type', t.year, t.town_id, t.vanguards, b.vanguards
from town_awards as t left join vanguards_by_type as b using (year, town_id)
where b.vanguards is distinct from t.vanguards
union all
select 'members by organisation', t.year, t.town_id, t.members, b.members
from town_members as t left join members_by_org as b using (year, town_id)
where b.members is distinct from t.members
union all
select 'members in the town summary', t.year, t.town_id, t.members, s.members
from town_members as t left join v_town_summary as s using (year, town_id)
where s.members is distinct from t.members
union all
select 'members in the member profile', t.year, t.town_id, t.members, p.members
from town_members as t left join v_member_profile as p using (year, town_id)
where p.members is distinct from t.members
union all
select 'member pledges in the review', t.year, t.town_id, t.member_pledges, r.member_pledges
from (
    select p.year, o.town_id, count(*) as member_pledges
    from pledges as p inner join orgs as o on o.org_id = p.org_id
    where p.pledger_kind = '党员'
    group by all
) as t left join v_member_pledge_review as r using (year, town_id)
where r.member_pledges is distinct from t.member_pledges
