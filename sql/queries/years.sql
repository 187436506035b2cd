-- Years that have pledges or awards, newest first.
select distinct year from (
    select year from pledges
    union all
    select year from awards
)
order by year desc
