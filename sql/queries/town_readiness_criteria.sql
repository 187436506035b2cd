-- One town's standing on each criterion of the standard, in the standard's order.
select *
from v_readiness_criteria
where town_id = $town_id and year = $year
order by sort_order
