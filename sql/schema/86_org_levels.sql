create table org_levels (
    org_level varchar not null,
    org_level_label varchar not null,
    sort_order integer not null
);
comment on table org_levels is '组织层级代码表';
comment on column org_levels.org_level is '组织层级代码：committee / general_branch / branch';
comment on column org_levels.org_level_label is '组织层级中文名称：党委 / 党总支 / 党支部';
comment on column org_levels.sort_order is '展示顺序';
