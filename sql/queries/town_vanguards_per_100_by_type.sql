-- Vanguards per 100 members by branch type (every type with members, even with no vanguards).
with
type_members as (
    select branch_type, branch_type_label, sum(members) as members
    from v_member_coverage
    where town_id = $town_id and year = $year
    group by all
),
type_vanguards as (
    select branch_type, sum(vanguards) as vanguards
    from v_vanguard_counts
    where town_id = $town_id and year = $year
    group by all
)
select
    m.branch_type,
    m.branch_type_label,
    m.members::bigint as members,
    coalesce(v.vanguards, 0)::bigint as vanguards,
    coalesce(v.vanguards, 0) * 100 / nullif(m.members, 0) as per_100_members
from type_members as m
left join type_vanguards as v on v.branch_type is not distinct from m.branch_type
inner join branch_types as b on b.branch_type is not distinct from m.branch_type
where m.members > 0 or v.vanguards > 0
order by b.sort_order
