create table rejects (
    load_id varchar not null,
    file varchar not null,
    row_number bigint not null,
    column_name varchar not null,
    value varchar,
    reason varchar not null
);
comment on table rejects is '拒收记录：历次装载和乡镇提交中未入库的行，每个问题一行（按 load_id 区分）';
comment on column rejects.load_id is '装载编号（loads.load_id）';
comment on column rejects.file is '文件名';
comment on column rejects.row_number is '行号（与 Excel 或文本编辑器中看到的行号一致，表头所在行之后起算）';
comment on column rejects.column_name is '列（中文表头及英文列名）';
comment on column rejects.value is '原始填写值';
comment on column rejects.reason is '拒收原因';
