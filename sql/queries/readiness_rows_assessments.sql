-- The annual assessments of one town's organisations in the year.
select
    o.org_name,
    a.leadership_grade,
    a.violations,
    a.failed_members,
    a.meetings_held,
    a.survey_respondents,
    a.survey_satisfied,
    a.survey_basic
from assessments as a
inner join orgs as o on o.org_id = a.org_id
where o.town_id = $town_id and a.year = $year
order by o.org_id
