-- Towns for the selector, in code order.
select town_id, town_name, county_name
from towns
order by town_id
