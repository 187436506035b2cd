-- Every town, owned by itself (a submission checks its slice against these).
select t.*, t.town_id as owner
from towns as t
