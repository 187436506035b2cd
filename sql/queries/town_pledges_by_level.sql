-- One town's pledges of the year by who pledged: the committee, general branches, branches, members.
select
    case when pledger_kind = '党员' then '党员' else org_level_label end as pledger_level,
    sum(pledges)::bigint as pledges,
    sum(approved)::bigint as approved,
    sum(fulfilled)::bigint as fulfilled,
    sum(partly_fulfilled)::bigint as partly_fulfilled,
    sum(fulfilled) / nullif(sum(approved), 0) as fulfilment_rate
from v_pledge_fulfilment
where town_id = $town_id and year = $year and ($branch_type is null or branch_type = $branch_type)
group by pledger_level
order by case pledger_level when '党委' then 1 when '党总支' then 2 when '党支部' then 3 else 4 end
