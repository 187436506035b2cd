-- One town's awards of the year by award level (a member's award counts where the member belongs).
with
town_orgs as (
    select org_id from orgs where town_id = $town_id
),
town_members as (
    select m.member_id, m.org_id
    from members as m
    inner join town_orgs using (org_id)
)
select a.level, count(*) as awards
from awards as a
left join town_members as m on m.member_id = a.member_id
inner join town_orgs as o on o.org_id = coalesce(m.org_id, case when a.member_id is null then a.org_id end)
where a.year = $year
group by a.level
order by case a.level when '镇级' then 1 when '县级' then 2 when '市级' then 3 else 4 end
