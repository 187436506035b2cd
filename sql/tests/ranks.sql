-- A town's rank is one more than the number of towns of its county with a higher score that year
-- (so ties share a rank and the next rank is skipped: 1, 2, 2, 4); rank_change is last year's
-- rank minus this year's.
with
expected as (
    select
        c.year,
        c.town_id,
        c.rank,
        c.rank_change,
        1 + (
            select count(*)
            from v_town_comparison as o
            where o.year = c.year and o.county_name = c.county_name
                and round(o.readiness_score, 6) > round(c.readiness_score, 6)
        ) as expected_rank,
        (select p.rank from v_town_comparison as p where p.town_id = c.town_id and p.year = c.year - 1)
            as last_year_rank
    from v_town_comparison as c
)
select year, town_id, rank, expected_rank, rank_change, last_year_rank
from expected
where rank <> expected_rank or rank_change is distinct from (last_year_rank - rank)
