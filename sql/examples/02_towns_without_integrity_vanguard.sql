-- 本年度没有廉洁先锋的乡镇
select t.town_id, t.town_name
from towns as t
where not exists (
    select 1
    from v_vanguard_counts as v
    where v.town_id = t.town_id
      and v.vanguard_kind = '廉洁先锋'
      and v.year = (select max(year) from v_reporting_years)
)
order by t.town_id
