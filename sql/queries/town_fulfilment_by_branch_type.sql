-- Fulfilment of one town's pledges in one year, by the branch type of the pledging organisation;
-- the committee's own pledges are the group whose branch_type is NULL (镇党委).
select branch_type, branch_type_label, pledges, approved, fulfilled, partly_fulfilled, fulfilment_rate
from v_fulfilment_by_branch_type
where town_id = $town_id and year = $year
order by branch_type nulls first
