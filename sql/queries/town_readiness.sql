-- One town's readiness in one year: criteria met, score, status and the year-end projection.
select *
from v_readiness
where town_id = $town_id and year = $year
