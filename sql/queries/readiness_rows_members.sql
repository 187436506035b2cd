-- Members of one town who had joined by the end of the year but have no approved pledge that year.
select m.member_id, m.name, o.org_name, b.branch_type_label, m.joined_on
from members as m
inner join orgs as o on o.org_id = m.org_id
inner join branch_types as b on b.branch_type is not distinct from o.branch_type
where o.town_id = $town_id and m.joined_on <= make_date($year, 12, 31)
    and not exists (
        select 1 from pledges as p
        where p.member_id = m.member_id and p.year = $year and p.review_status = '已通过'
    )
order by o.org_name, m.member_id
