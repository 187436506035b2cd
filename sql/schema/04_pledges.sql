create table pledges (
    pledge_id varchar not null,
    year integer not null,
    pledger_kind varchar not null,
    org_id varchar not null,
    member_id varchar,
    category varchar,
    content varchar,
    pledged_on date,
    due_on date,
    review_status varchar not null,
    reviewed_by varchar,
    reviewed_on date,
    check_opinions boolean,
    check_reality boolean,
    check_advanced boolean,
    fulfilment_status varchar not null,
    fulfilled_on date,
    evidence varchar,
    mass_rating varchar
);
comment on table pledges is '公开承诺：党委、总支、支部和党员的年度承诺及其审核、践诺、评诺（来自 pledges 文件）';
comment on column pledges.pledge_id is '承诺编号';
comment on column pledges.year is '年度（一年一诺）';
comment on column pledges.pledger_kind is '承诺主体：组织 / 党员';
comment on column pledges.org_id is '组织编码：承诺组织，或党员所在组织（orgs.org_id）';
comment on column pledges.member_id is '党员编号（党员承诺时填写，members.member_id）';
comment on column pledges.category is '承诺类别（如 关注民生、效能建设）';
comment on column pledges.content is '承诺内容';
comment on column pledges.pledged_on is '承诺日期';
comment on column pledges.due_on is '完成时限';
comment on column pledges.review_status is '审核状态：待审核 / 已通过 / 退回修改';
comment on column pledges.reviewed_by is '审核组织编码（上级组织，orgs.org_id）';
comment on column pledges.reviewed_on is '审核日期';
comment on column pledges.check_opinions is '审核：是否涉及征求到的意见建议（党员承诺）';
comment on column pledges.check_reality is '审核：是否结合自身实际（党员承诺）';
comment on column pledges.check_advanced is '审核：是否体现先进性要求（党员承诺）';
comment on column pledges.fulfilment_status is '践诺状态：未开始 / 进行中 / 已兑现 / 部分兑现 / 未兑现（原文件留空视为未开始）';
comment on column pledges.fulfilled_on is '兑现日期';
comment on column pledges.evidence is '践诺佐证';
comment on column pledges.mass_rating is '群众评议：满意 / 基本满意 / 不满意；未评议为空';
