-- Organisations of one town that made no organisation pledge in the year.
select o.org_id, o.org_name, l.org_level_label, b.branch_type_label
from orgs as o
inner join org_levels as l on l.org_level = o.org_level
inner join branch_types as b on b.branch_type is not distinct from o.branch_type
where o.town_id = $town_id
    and not exists (
        select 1 from pledges as p where p.org_id = o.org_id and p.year = $year and p.pledger_kind = '组织'
    )
order by o.org_id
