-- 示范创建得分排名及与上年相比的变化
select year as 年度, rank as 排名, rank_change as 排名变化, town_name as 乡镇,
    round(readiness_score, 1) as 得分, readiness_status as 等级,
    round(fulfilment_rate * 100, 1) as 兑现率_百分比, round(vanguards_per_100, 2) as 每百名党员先锋数
from v_town_comparison
where year = (select max(year) from v_reporting_years)
order by rank, town_id
