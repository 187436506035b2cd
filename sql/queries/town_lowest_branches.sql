-- The organisations of one town with the lowest fulfilment in the year (at least 3 approved pledges,
-- so one pledge does not make a rate), lowest first.
select
    org_name,
    branch_type_label,
    org_level_label,
    sum(approved)::bigint as approved,
    sum(fulfilled)::bigint as fulfilled,
    sum(overdue)::bigint as overdue,
    sum(fulfilled) / nullif(sum(approved), 0) as fulfilment_rate
from v_pledge_fulfilment
where town_id = $town_id and year = $year and ($branch_type is null or branch_type = $branch_type)
group by org_id, org_name, branch_type_label, org_level_label
having sum(approved) >= 3
order by fulfilment_rate, approved desc, org_name
limit 10
