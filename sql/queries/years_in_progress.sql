-- Years not finished on the as-of date of the latest load.
select year from v_reporting_years where not is_complete
