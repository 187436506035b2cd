-- Members of one town who had joined by the end of the year but have no approved pledge that year.
-- Both sides are narrowed to the town's organisations first (its ids sit together in the files, so
-- DuckDB skips the rest of the members and pledges).
with
town_orgs as (
    select o.org_id, o.org_name, b.branch_type_label
    from orgs as o
    inner join branch_types as b on b.branch_type is not distinct from o.branch_type
    where o.town_id = $town_id
),
town_members as (
    select m.member_id, m.name, m.org_id, m.joined_on
    from members as m
    inner join town_orgs using (org_id)
    where m.joined_on <= make_date($year, 12, 31)
),
pledged as (
    select distinct p.member_id
    from pledges as p
    inner join town_orgs using (org_id)
    where p.year = $year and p.review_status = '已通过' and p.member_id is not null
)
select m.member_id, m.name, o.org_name, o.branch_type_label, m.joined_on
from town_members as m
inner join town_orgs as o using (org_id)
anti join pledged using (member_id)
order by o.org_name, m.member_id
