-- The pledges behind a pledge criterion ($indicator) of one town and year: those that keep it from
-- being met (not fulfilled, not reviewed, overdue, or rated 不满意).
select
    p.pledge_id,
    o.org_name,
    coalesce(m.name, '（组织承诺）') as pledger,
    p.member_id is not null as is_member,
    p.content,
    p.review_status,
    p.fulfilment_status,
    p.due_on,
    p.mass_rating
from pledges as p
inner join orgs as o on o.org_id = p.org_id
inner join v_reporting_years as y on y.year = p.year
left join members as m on m.member_id = p.member_id
where o.town_id = $town_id and p.year = $year
    and case $indicator
        when 'fulfilment_rate' then p.review_status = '已通过' and p.fulfilment_status <> '已兑现'
        when 'member_fulfilment_rate' then p.review_status = '已通过' and p.fulfilment_status <> '已兑现'
            and p.pledger_kind = '党员'
        when 'overdue_pledges' then p.review_status = '已通过' and p.fulfilment_status <> '已兑现'
            and p.due_on < y.overdue_as_of
        when 'review_rate' then p.review_status = '待审核'
        when 'mass_rating_rate' then p.mass_rating = '不满意'
        else false
    end
order by o.org_name, p.pledge_id
