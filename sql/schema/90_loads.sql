create table loads (
    load_id varchar not null,
    loaded_at timestamp not null,
    as_of date not null,
    source_dir varchar not null,
    files struct(kind varchar, file varchar, sha256 varchar, rows_read bigint, rows_loaded bigint, rows_rejected bigint)[] not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    loaded_by varchar
);
comment on table loads is '装载记录：每次装载一行（历次装载的记录随仓库保留）';
comment on column loads.load_id is '装载编号';
comment on column loads.loaded_at is '装载时间（UTC）';
comment on column loads.as_of is '统计截止日：当年未结束时用于判断逾期，往年按 12 月 31 日';
comment on column loads.source_dir is '源文件目录';
comment on column loads.files is '源文件：类别、文件名、SHA-256 校验和、读取/入库/拒收行数';
comment on column loads.rows_read is '读取行数合计';
comment on column loads.rows_loaded is '入库行数合计';
comment on column loads.rows_rejected is '拒收行数合计';
comment on column loads.loaded_by is '执行装载的用户';
