-- Every town's fulfilment by branch type in one year, for the small multiples.
select f.town_id, f.town_name, t.county_name, f.branch_type, f.branch_type_label, f.approved, f.fulfilled,
    f.fulfilment_rate
from v_fulfilment_by_branch_type as f
inner join towns as t on t.town_id = f.town_id
inner join branch_types as b on b.branch_type is not distinct from f.branch_type
where f.year = $year
order by f.town_id, b.sort_order
