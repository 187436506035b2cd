create table criteria (
    criterion_id varchar not null,
    sort_order integer not null,
    good varchar not null,
    indicator varchar not null,
    indicator_label varchar not null,
    unit varchar not null,
    operator varchar not null,
    threshold double not null,
    weight double not null,
    deduct_points double,
    deduct_step double,
    veto boolean not null,
    description varchar not null
);
comment on table criteria is '示范单位评定标准（百分制评分细则）：每个评分项一行，来自 data/criteria/default.csv 或装载时指定的标准文件';
comment on column criteria.criterion_id is '评分项编号';
comment on column criteria.sort_order is '在标准文件中的顺序';
comment on column criteria.good is '所属“五个好”：领导班子好 / 党员队伍好 / 工作机制好 / 群众反映好 / 先锋示范好';
comment on column criteria.indicator is '指标代码（indicators.indicator）';
comment on column criteria.indicator_label is '指标名称';
comment on column criteria.unit is '指标单位：比例（0 到 1）/ 人 / 次 / 个 / 类';
comment on column criteria.operator is '比较方式：>= / <= / > / < / =（指标值 比较 标准值 即达标）';
comment on column criteria.threshold is '标准值（比例类为 0 到 1 的小数）';
comment on column criteria.weight is '分值：达标得满分';
comment on column criteria.deduct_points is '未达标时每差一档扣的分数，扣完为止；为空表示未达标即不得分';
comment on column criteria.deduct_step is '一档的大小（与指标同单位）；不足一档按一档计';
comment on column criteria.veto is '一票否决：此项未达标的单位不能评为达标';
comment on column criteria.description is '评分项说明';
