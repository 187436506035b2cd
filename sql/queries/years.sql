-- Years the records speak of (pledges, awards or assessments), newest first.
select year
from v_reporting_years
order by year desc
