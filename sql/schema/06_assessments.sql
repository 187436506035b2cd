create table assessments (
    org_id varchar not null,
    year integer not null,
    leadership_grade varchar,
    violations integer,
    failed_members integer,
    meetings_held integer,
    survey_respondents integer,
    survey_satisfied integer,
    survey_basic integer
);
comment on table assessments is '年度考核：组织的班子考核、违纪、组织生活和群众满意度测评（来自 assessments 文件，可缺）';
comment on column assessments.org_id is '组织编码（orgs.org_id）';
comment on column assessments.year is '年度';
comment on column assessments.leadership_grade is '班子考核等次：好 / 较好 / 一般 / 差';
comment on column assessments.violations is '违纪违法人数';
comment on column assessments.failed_members is '年度考核不合格人数';
comment on column assessments.meetings_held is '组织生活次数';
comment on column assessments.survey_respondents is '满意度测评人数';
comment on column assessments.survey_satisfied is '满意人数';
comment on column assessments.survey_basic is '基本满意人数';
