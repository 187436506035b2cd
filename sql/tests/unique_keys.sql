-- Each table and view has one row per its key. Failing rows: the relation, the key, how many rows.
select 'towns' as relation, town_id as key, count(*) as rows from towns group by all having count(*) > 1
union all
select 'orgs', org_id, count(*) from orgs group by all having count(*) > 1
union all
select 'members', member_id, count(*) from members group by all having count(*) > 1
union all
select 'pledges', pledge_id, count(*) from pledges group by all having count(*) > 1
union all
select 'awards', award_id, count(*) from awards group by all having count(*) > 1
union all
select 'assessments', concat_ws('/', org_id, year), count(*) from assessments group by all having count(*) > 1
union all
select 'criteria', criterion_id, count(*) from criteria group by all having count(*) > 1
union all
select 'v_reporting_years', year::varchar, count(*) from v_reporting_years group by all having count(*) > 1
union all
select 'v_member_coverage', concat_ws('/', year, org_id), count(*)
from v_member_coverage group by all having count(*) > 1
union all
select 'v_pledge_fulfilment', concat_ws('/', year, org_id, pledger_kind), count(*)
from v_pledge_fulfilment group by all having count(*) > 1
union all
select 'v_fulfilment_by_branch_type', concat_ws('/', year, town_id, coalesce(branch_type, '镇党委')), count(*)
from v_fulfilment_by_branch_type group by all having count(*) > 1
union all
select 'v_vanguard_counts', concat_ws('/', year, town_id, coalesce(branch_type, '镇党委'), vanguard_kind), count(*)
from v_vanguard_counts group by all having count(*) > 1
union all
select 'v_town_summary', concat_ws('/', year, town_id), count(*) from v_town_summary group by all having count(*) > 1
union all
select 'v_town_indicators', concat_ws('/', year, town_id, indicator), count(*)
from v_town_indicators group by all having count(*) > 1
union all
select 'v_readiness_criteria', concat_ws('/', year, town_id, criterion_id), count(*)
from v_readiness_criteria group by all having count(*) > 1
union all
select 'v_readiness', concat_ws('/', year, town_id), count(*) from v_readiness group by all having count(*) > 1
union all
select 'v_town_comparison', concat_ws('/', year, town_id), count(*)
from v_town_comparison group by all having count(*) > 1
union all
select 'v_pledge_progress', concat_ws('/', year, town_id, coalesce(branch_type, '镇党委'), month), count(*)
from v_pledge_progress group by all having count(*) > 1
union all
select 'v_member_profile', concat_ws('/', year, town_id), count(*) from v_member_profile group by all having count(*) > 1
union all
select 'v_member_pledge_review', concat_ws('/', year, town_id), count(*)
from v_member_pledge_review group by all having count(*) > 1
