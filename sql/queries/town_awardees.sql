-- The awards of one town in one year: who (a member's name, or the organisation), kind, level, where.
select
    a.vanguard_kind,
    a.level,
    coalesce(m.name, o.org_name) as awardee,
    a.member_id is not null as is_member,
    o.org_name,
    b.branch_type_label,
    a.awarded_on
from awards as a
left join members as m on m.member_id = a.member_id
inner join orgs as o on o.org_id = coalesce(m.org_id, a.org_id)
inner join branch_types as b on b.branch_type is not distinct from o.branch_type
where o.town_id = $town_id and a.year = $year
order by a.awarded_on, a.award_id
