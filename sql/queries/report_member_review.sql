-- How one town's member pledges of the year fared against the three review questions.
select *
from v_member_pledge_review
where town_id = $town_id and year = $year
