-- Scores stay within their bounds and agree with the criteria they are made of.
select 'points outside 0..weight' as problem, year, town_id, criterion_id as detail
from v_readiness_criteria
where points < 0 or points > weight or projected_points < 0 or projected_points > weight
union all
select 'met but not full points, or not zero gap', year, town_id, criterion_id
from v_readiness_criteria
where met and (points <> weight or gap <> 0)
union all
select 'score outside 0..score_max', year, town_id, score::varchar
from v_readiness
where score < 0 or score > score_max or criteria_met > criteria_total
union all
select 'not every criterion judged', r.year, r.town_id, r.criteria_total::varchar
from v_readiness as r
where r.criteria_total <> (select count(*) from criteria)
union all
select 'a town-year without a readiness row', s.year, s.town_id, null
from v_town_summary as s anti join v_readiness as r on r.year = s.year and r.town_id = s.town_id
union all
select '达标 with a failed veto item', year, town_id, null
from v_readiness
where status = '达标' and veto_failed
