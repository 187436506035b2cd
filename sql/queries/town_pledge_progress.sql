-- One town's cumulative approved and fulfilled pledges by month (one branch type, or all when
-- $branch_type is NULL), with
-- the target: the standard's fulfilment threshold (else 90 %) of the year's approved pledges, reached
-- evenly from January to December.
with
monthly as (
    select month, month_number, sum(approved_to_date) as approved_to_date,
        sum(fulfilled_to_date) as fulfilled_to_date, sum(approved_total) as approved_total
    from v_pledge_progress
    where town_id = $town_id and year = $year and ($branch_type is null or branch_type = $branch_type)
    group by all
),
target as (
    select coalesce(max(threshold), 0.9) as rate from criteria where indicator = 'fulfilment_rate'
)
select
    m.month,
    m.month_number,
    m.approved_to_date::bigint as approved_to_date,
    m.fulfilled_to_date::bigint as fulfilled_to_date,
    m.approved_total * t.rate * m.month_number / 12 as target_fulfilled
from monthly as m
cross join target as t
order by m.month
