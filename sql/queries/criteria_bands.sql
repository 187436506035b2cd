-- The demonstration standard's bands, highest first: a score at or above min_score earns the status.
select status, min_score
from criteria_bands
order by min_score desc
