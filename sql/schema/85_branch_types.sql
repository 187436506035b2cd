create table branch_types (
    branch_type varchar,
    branch_type_label varchar not null,
    sort_order integer not null
);
comment on table branch_types is '支部类型代码表（含镇党委：代码为空的一组）';
comment on column branch_types.branch_type is '支部类型代码：village / organ / non_public / retired / social；镇党委自身为空';
comment on column branch_types.branch_type_label is '支部类型中文名称';
comment on column branch_types.sort_order is '展示顺序';
