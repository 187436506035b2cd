-- One town's pledges of the year from made to fulfilled, for one branch type ($branch_type) or all
-- (NULL), with the as-of date that decides what is overdue.
select
    coalesce(sum(f.pledges), 0)::bigint as pledges,
    coalesce(sum(f.reviewed), 0)::bigint as reviewed,
    coalesce(sum(f.approved), 0)::bigint as approved,
    coalesce(sum(f.fulfilled), 0)::bigint as fulfilled,
    coalesce(sum(f.partly_fulfilled), 0)::bigint as partly_fulfilled,
    coalesce(sum(f.overdue), 0)::bigint as overdue,
    (select as_of from v_reporting_years where year = $year) as as_of
from v_fulfilment_by_branch_type as f
where f.town_id = $town_id and f.year = $year and ($branch_type is null or f.branch_type = $branch_type)
