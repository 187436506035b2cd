create table vanguard_kinds (
    vanguard_kind varchar not null,
    sort_order integer not null
);
comment on table vanguard_kinds is '先锋类别代码表：学习、服务、廉洁、致富、兴业、和谐先锋';
comment on column vanguard_kinds.vanguard_kind is '先锋类别';
comment on column vanguard_kinds.sort_order is '展示顺序';
