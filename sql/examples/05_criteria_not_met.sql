-- 各乡镇还差哪些示范标准（本年度，按差距排序）
select town_name as 乡镇, good as 五个好, indicator_label as 指标, value as 当前值,
    operator || ' ' || threshold as 标准, gap as 差距, weight - points as 失分
from v_readiness_criteria
where not met and year = (select max(year) from v_reporting_years)
order by town_id, sort_order
