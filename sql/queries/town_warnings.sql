-- One town's 预警 counts in one year ($town_id, $year): pledges due within 30 days and overdue
-- (v_pledges_due), organisations with no organisation pledge yet, vanguard kinds with nobody yet,
-- and how many organisations have filed the year's 年度考核.
with
due as (
    select
        count(*) filter (where is_due_soon) as due_soon,
        count(*) filter (where is_overdue) as overdue
    from v_pledges_due
    where town_id = $town_id and year = $year
),
orgs_without as (
    select count(*) as orgs_without_pledge
    from orgs as o
    where o.town_id = $town_id
        and not exists (
            select 1 from pledges as p where p.org_id = o.org_id and p.year = $year and p.pledger_kind = '组织'
        )
),
kinds_without as (
    select count(*) as kinds_without_vanguard
    from vanguard_kinds as k
    where not exists (
        select 1 from v_vanguard_counts as v
        where v.town_id = $town_id and v.year = $year and v.vanguard_kind = k.vanguard_kind
    )
),
filed as (
    select orgs, orgs_assessed from v_town_summary where town_id = $town_id and year = $year
)
select due.*, orgs_without.*, kinds_without.*, filed.*
from due
cross join orgs_without
cross join kinds_without
cross join filed
