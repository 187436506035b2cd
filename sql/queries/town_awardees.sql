-- The awards of one town in one year: who (a member's name, or the organisation), kind, level, where.
-- A member's award belongs to the member's organisation; only the town's members are looked up.
with
town_orgs as (
    select o.org_id, o.org_name, b.branch_type_label
    from orgs as o
    inner join branch_types as b on b.branch_type is not distinct from o.branch_type
    where o.town_id = $town_id
),
town_members as (
    select m.member_id, m.name, m.org_id
    from members as m
    inner join town_orgs using (org_id)
)
select
    a.vanguard_kind,
    a.level,
    coalesce(m.name, o.org_name) as awardee,
    a.member_id is not null as is_member,
    o.org_name,
    o.branch_type_label,
    a.awarded_on
from awards as a
left join town_members as m on m.member_id = a.member_id
inner join town_orgs as o on o.org_id = coalesce(m.org_id, case when a.member_id is null then a.org_id end)
where a.year = $year
order by a.awarded_on, a.award_id
