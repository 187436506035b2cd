create table warehouse_info (
    schema_version integer not null,
    built_at timestamp not null
);
comment on table warehouse_info is '仓库信息：结构版本（应用据此判断仓库是否需要用新版本重新装载）';
comment on column warehouse_info.schema_version is '仓库结构版本：表、视图或其列变化时加一';
comment on column warehouse_info.built_at is '生成时间（UTC）';
