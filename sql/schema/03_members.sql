create table members (
    member_id varchar not null,
    name varchar not null,
    org_id varchar not null,
    gender varchar,
    birth_date date,
    joined_on date not null,
    is_committee boolean not null
);
comment on table members is '党员：每名党员一行（来自 members 文件）';
comment on column members.member_id is '党员编号';
comment on column members.name is '姓名（个人信息，展示时按需脱敏）';
comment on column members.org_id is '所在组织编码（orgs.org_id）';
comment on column members.gender is '性别：男 / 女';
comment on column members.birth_date is '出生日期';
comment on column members.joined_on is '入党日期；统计某年度党员数时只计当年年底前入党者';
comment on column members.is_committee is '是否班子成员';
