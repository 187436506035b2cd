-- The as-of date of the live warehouse: its latest load's (a township's submission keeps it).
select as_of
from loads
order by loaded_at desc, load_id desc
limit 1
