-- The monthly progress never falls, stays within the year's approved pledges, and its last month
-- equals the year's totals by branch type.
with
steps as (
    select
        *,
        lag(approved_to_date) over w as approved_before,
        lag(fulfilled_to_date) over w as fulfilled_before,
        row_number() over (partition by year, town_id, branch_type order by month desc) as from_last
    from v_pledge_progress
    window w as (partition by year, town_id, branch_type order by month)
)
select 'falls' as problem, year, town_id, branch_type, month
from steps
where approved_to_date < approved_before or fulfilled_to_date < fulfilled_before
union all
select 'beyond the approved', year, town_id, branch_type, month
from steps
where fulfilled_to_date > approved_total or approved_to_date > approved_total
union all
select 'last month is not the total', s.year, s.town_id, s.branch_type, s.month
from steps as s
left join v_fulfilment_by_branch_type as b
    on b.year = s.year and b.town_id = s.town_id and b.branch_type is not distinct from s.branch_type
where s.from_last = 1 and (s.approved_to_date is distinct from b.approved or s.fulfilled_to_date is distinct from b.fulfilled)
