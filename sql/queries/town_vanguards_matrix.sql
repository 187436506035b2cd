-- One town's vanguards of the year by branch type and kind (only the pairs that have some).
select v.branch_type, v.branch_type_label, v.vanguard_kind, v.vanguards, v.members, v.per_100_members
from v_vanguard_counts as v
inner join branch_types as b on b.branch_type is not distinct from v.branch_type
inner join vanguard_kinds as k on k.vanguard_kind = v.vanguard_kind
where v.town_id = $town_id and v.year = $year
order by b.sort_order, k.sort_order
