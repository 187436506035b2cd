create table criteria_bands (
    status varchar not null,
    min_score double not null
);
comment on table criteria_bands is '评定等级：得分达到最低得分即为该等级（达标、接近），其余为差距较大';
comment on column criteria_bands.status is '等级：达标 / 接近';
comment on column criteria_bands.min_score is '该等级的最低得分';
