-- The branch types a filter offers (not the committee's own group), in display order.
select branch_type, branch_type_label
from branch_types
where branch_type is not null
order by sort_order
