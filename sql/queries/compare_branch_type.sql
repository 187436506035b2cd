-- Every town's fulfilment and vanguards per 100 members for one branch type ($branch_type) in $year.
with
fulfilment as (
    select town_id, approved, fulfilled, fulfilment_rate
    from v_fulfilment_by_branch_type
    where year = $year and branch_type = $branch_type
),
vanguards as (
    select town_id, sum(vanguards) as vanguards
    from v_vanguard_counts
    where year = $year and branch_type = $branch_type
    group by town_id
),
members as (
    select town_id, sum(members) as members
    from v_member_coverage
    where year = $year and branch_type = $branch_type
    group by town_id
)
select
    t.town_id,
    t.town_name,
    t.county_name,
    coalesce(m.members, 0)::bigint as members,
    f.fulfilment_rate,
    coalesce(v.vanguards, 0) * 100 / nullif(m.members, 0) as vanguards_per_100
from towns as t
left join fulfilment as f using (town_id)
left join vanguards as v using (town_id)
left join members as m using (town_id)
where m.members > 0 or f.approved > 0
order by t.town_id
