-- One town's vanguards of the year by kind and branch type; a kind with none shows 0.
select k.vanguard_kind, coalesce(v.branch_type_label, '—') as branch_type_label, coalesce(v.vanguards, 0) as vanguards
from vanguard_kinds as k
left join v_vanguard_counts as v on v.vanguard_kind = k.vanguard_kind and v.town_id = $town_id and v.year = $year
order by k.sort_order, v.branch_type_label
