-- materialise: yes
-- depends on: v_reporting_years
-- Pledges of each organisation (its own, or its members') by year and pledger kind.
-- Rates follow the contract: only approved pledges have a fulfilment rate, 部分兑现 is never 已兑现.
create view v_pledge_fulfilment as
with
pledge_facts as (
    select
        p.year,
        p.org_id,
        p.pledger_kind,
        p.review_status = '已通过' as is_approved,
        p.review_status in ('已通过', '退回修改') as is_reviewed,
        p.fulfilment_status,
        p.mass_rating,
        -- overdue: approved, not fulfilled, deadline before the date overdue is judged at
        -- (1 January of the next year for a finished year, the load's date for the year in progress)
        p.review_status = '已通过' and p.fulfilment_status <> '已兑现' and p.due_on < y.overdue_as_of as is_overdue,
        -- fulfilled late (逾期兑现): fulfilled, but after its deadline
        p.review_status = '已通过' and p.fulfilment_status = '已兑现' and p.fulfilled_on > p.due_on as is_fulfilled_late
    from pledges as p
    inner join v_reporting_years as y on y.year = p.year
),
org_kind_counts as (
    select
        year,
        org_id,
        pledger_kind,
        count(*) as pledges,
        count(*) filter (where is_reviewed) as reviewed,
        count(*) filter (where is_approved) as approved,
        count(*) filter (where is_approved and fulfilment_status = '已兑现') as fulfilled,
        count(*) filter (where is_approved and fulfilment_status = '部分兑现') as partly_fulfilled,
        count(*) filter (where is_overdue) as overdue,
        count(*) filter (where is_fulfilled_late) as fulfilled_late,
        count(*) filter (where mass_rating is not null) as rated,
        count(*) filter (where mass_rating in ('满意', '基本满意')) as rated_satisfied
    from pledge_facts
    group by year, org_id, pledger_kind
),
final as (
    select
        c.year,
        o.town_id,
        t.town_name,
        c.org_id,
        o.org_name,
        o.org_level,
        lv.org_level_label,
        o.branch_type,
        bt.branch_type_label,
        c.pledger_kind,
        c.pledges,
        c.reviewed,
        c.approved,
        c.fulfilled,
        c.partly_fulfilled,
        c.overdue,
        c.fulfilled_late,
        c.rated,
        c.rated_satisfied,
        c.fulfilled / nullif(c.approved, 0) as fulfilment_rate,
        c.reviewed / c.pledges as review_rate
    from org_kind_counts as c
    inner join orgs as o on o.org_id = c.org_id
    inner join towns as t on t.town_id = o.town_id
    inner join org_levels as lv on lv.org_level = o.org_level
    inner join branch_types as bt on bt.branch_type is not distinct from o.branch_type
)
select * from final;

comment on view v_pledge_fulfilment is '公开承诺践诺情况：每个组织、每个年度、每种承诺主体一行（组织自身的承诺，或其党员的承诺）';
comment on column v_pledge_fulfilment.year is '年度';
comment on column v_pledge_fulfilment.town_id is '乡镇编码';
comment on column v_pledge_fulfilment.town_name is '乡镇名称';
comment on column v_pledge_fulfilment.org_id is '组织编码（组织承诺为承诺组织，党员承诺为党员所在组织）';
comment on column v_pledge_fulfilment.org_name is '组织名称';
comment on column v_pledge_fulfilment.org_level is '组织层级代码：committee / general_branch / branch';
comment on column v_pledge_fulfilment.org_level_label is '组织层级：党委 / 党总支 / 党支部';
comment on column v_pledge_fulfilment.branch_type is '支部类型代码；镇党委为空';
comment on column v_pledge_fulfilment.branch_type_label is '支部类型（镇党委自身显示为“镇党委”）';
comment on column v_pledge_fulfilment.pledger_kind is '承诺主体：组织 / 党员';
comment on column v_pledge_fulfilment.pledges is '承诺数（全部审核状态）';
comment on column v_pledge_fulfilment.reviewed is '已审核数：已通过或退回修改';
comment on column v_pledge_fulfilment.approved is '已通过审核的承诺数';
comment on column v_pledge_fulfilment.fulfilled is '已兑现数：已通过且践诺状态为已兑现';
comment on column v_pledge_fulfilment.partly_fulfilled is '部分兑现数：已通过且部分兑现（不计入已兑现）';
comment on column v_pledge_fulfilment.overdue is '逾期数：已通过、未兑现、完成时限早于判断日（往年为次年 1 月 1 日，当年为统计截止日）';
comment on column v_pledge_fulfilment.fulfilled_late is '逾期兑现数：已通过、已兑现，但兑现日期晚于完成时限';
comment on column v_pledge_fulfilment.rated is '有群众评议的承诺数';
comment on column v_pledge_fulfilment.rated_satisfied is '群众评议为满意或基本满意的承诺数';
comment on column v_pledge_fulfilment.fulfilment_rate is '兑现率 = fulfilled / approved；无已通过承诺时为空';
comment on column v_pledge_fulfilment.review_rate is '审核率 = reviewed / pledges';
