create table awards (
    award_id varchar not null,
    year integer not null,
    vanguard_kind varchar not null,
    member_id varchar,
    org_id varchar not null,
    level varchar not null,
    awarded_on date
);
comment on table awards is '先锋表彰：学习、服务、廉洁、致富、兴业、和谐先锋（来自 awards 文件）';
comment on column awards.award_id is '表彰编号';
comment on column awards.year is '年度';
comment on column awards.vanguard_kind is '先锋类别：学习先锋 / 服务先锋 / 廉洁先锋 / 致富先锋 / 兴业先锋 / 和谐先锋';
comment on column awards.member_id is '受表彰党员编号（表彰组织时为空）';
comment on column awards.org_id is '组织编码：党员所在组织，或受表彰的组织';
comment on column awards.level is '表彰级别：镇级 / 县级 / 市级 / 省级';
comment on column awards.awarded_on is '表彰日期';
