create table indicators (
    indicator varchar not null,
    label varchar not null,
    unit varchar not null,
    good varchar not null,
    description varchar not null
);
comment on table indicators is '可计算指标目录：评定标准可以引用的每个指标，v_town_indicators 按乡镇和年度计算其值';
comment on column indicators.indicator is '指标代码';
comment on column indicators.label is '指标名称';
comment on column indicators.unit is '单位：比例（0 到 1）/ 人 / 次 / 个 / 类';
comment on column indicators.good is '通常归属的“五个好”';
comment on column indicators.description is '计算口径';
