-- One town's awards of the year by award level (a member's award counts where the member belongs).
select a.level, count(*) as awards
from awards as a
left join members as m on m.member_id = a.member_id
inner join orgs as o on o.org_id = coalesce(m.org_id, a.org_id)
where o.town_id = $town_id and a.year = $year
group by a.level
order by case a.level when '镇级' then 1 when '县级' then 2 when '市级' then 3 else 4 end
