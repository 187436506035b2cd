-- Every organisation with the town that owns it.
select o.*, o.town_id as owner
from orgs as o
