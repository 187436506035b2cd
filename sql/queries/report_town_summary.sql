-- Every headline figure of one town ($town_id) in one year ($year), for the work summary.
select *
from v_town_summary
where town_id = $town_id and year = $year
