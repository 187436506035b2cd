-- Every town in one year ($year) side by side: ranking, movement, per-100 figures, readiness.
select *
from v_town_comparison
where year = $year
order by rank, town_id
