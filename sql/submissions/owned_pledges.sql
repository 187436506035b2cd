-- Every row of pledges with the town that owns it: the town of its org_id (NULL for an unknown org).
select x.*, o.town_id as owner
from pledges as x
left join orgs as o on o.org_id = x.org_id
