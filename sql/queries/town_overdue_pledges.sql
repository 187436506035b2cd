-- One town's overdue pledges of the year: approved, not fulfilled, due before the as-of date.
select
    p.pledge_id,
    o.org_name,
    b.branch_type_label,
    coalesce(m.name, '（组织承诺）') as pledger,
    p.member_id is not null as is_member,
    p.category,
    p.content,
    p.due_on,
    p.fulfilment_status,
    date_diff('day', p.due_on, y.overdue_as_of) as days_overdue
from pledges as p
inner join orgs as o on o.org_id = p.org_id
inner join branch_types as b on b.branch_type is not distinct from o.branch_type
inner join v_reporting_years as y on y.year = p.year
left join members as m on m.member_id = p.member_id
where o.town_id = $town_id and p.year = $year and ($branch_type is null or o.branch_type = $branch_type)
    and p.review_status = '已通过' and p.fulfilment_status <> '已兑现' and p.due_on < y.overdue_as_of
order by days_overdue desc, p.pledge_id
