create table towns (
    town_id varchar not null,
    town_name varchar not null,
    county_name varchar not null
);
comment on table towns is '乡镇：每个乡镇一行（来自 towns 文件）';
comment on column towns.town_id is '乡镇编码';
comment on column towns.town_name is '乡镇名称';
comment on column towns.county_name is '所属县';
