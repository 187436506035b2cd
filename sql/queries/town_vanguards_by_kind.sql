-- One town's vanguards of the year by kind; all six kinds, a kind with none shows 0.
select k.vanguard_kind, coalesce(sum(v.vanguards), 0)::bigint as vanguards
from vanguard_kinds as k
left join v_vanguard_counts as v
    on v.vanguard_kind = k.vanguard_kind and v.town_id = $town_id and v.year = $year
group by k.vanguard_kind, k.sort_order
order by k.sort_order
