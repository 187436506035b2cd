-- One town's open pledges of a year ($branch_type: one branch type, or null for all) that are
-- overdue or due within 30 days (v_pledges_due), the most overdue first.
select pledge_id, org_name, branch_type_label, pledger, member_id is not null as is_member, category, content,
    due_on, fulfilment_status, days_to_due
from v_pledges_due
where town_id = $town_id and year = $year and ($branch_type is null or branch_type = $branch_type)
    and days_to_due <= 30
order by days_to_due, pledge_id
