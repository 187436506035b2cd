create table orgs (
    org_id varchar not null,
    org_name varchar not null,
    town_id varchar not null,
    parent_org_id varchar,
    org_level varchar not null,
    branch_type varchar
);
comment on table orgs is '党组织：镇党委、党总支、党支部，每个组织一行（来自 orgs 文件）';
comment on column orgs.org_id is '组织编码';
comment on column orgs.org_name is '组织名称';
comment on column orgs.town_id is '所属乡镇编码（towns.town_id）';
comment on column orgs.parent_org_id is '上级组织编码（orgs.org_id）；镇党委为空或为县级组织';
comment on column orgs.org_level is '组织层级：committee=党委，general_branch=党总支，branch=党支部';
comment on column orgs.branch_type is '支部类型：village=村(社区)党组织，organ=机关支部，non_public=非公有制经济组织党支部，retired=退休支部，social=新社会组织支部；党委为空';
