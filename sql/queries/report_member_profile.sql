-- The make-up of one town's membership in one year (women, age, committee members).
select *
from v_member_profile
where town_id = $town_id and year = $year
