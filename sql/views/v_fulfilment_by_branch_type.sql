-- materialise: yes
-- depends on: v_pledge_fulfilment
-- A town's pledges by the branch type of the pledging organisation; the committee's own pledges
-- form the group whose branch_type is NULL (镇党委), so the groups add up to the town's total.
create view v_fulfilment_by_branch_type as
with
by_type as (
    select
        year,
        town_id,
        town_name,
        branch_type,
        branch_type_label,
        sum(pledges) as pledges,
        sum(reviewed) as reviewed,
        sum(approved) as approved,
        sum(fulfilled) as fulfilled,
        sum(partly_fulfilled) as partly_fulfilled,
        sum(overdue) as overdue
    from v_pledge_fulfilment
    group by year, town_id, town_name, branch_type, branch_type_label
),
final as (
    select
        year,
        town_id,
        town_name,
        branch_type,
        branch_type_label,
        pledges::bigint as pledges,
        reviewed::bigint as reviewed,
        approved::bigint as approved,
        fulfilled::bigint as fulfilled,
        partly_fulfilled::bigint as partly_fulfilled,
        overdue::bigint as overdue,
        fulfilled / nullif(approved, 0) as fulfilment_rate,
        reviewed / pledges as review_rate
    from by_type
)
select * from final;

comment on view v_fulfilment_by_branch_type is '按支部类型的承诺兑现：每个乡镇、每个年度、每个支部类型一行（镇党委自身的承诺为支部类型为空的一组）';
comment on column v_fulfilment_by_branch_type.year is '年度';
comment on column v_fulfilment_by_branch_type.town_id is '乡镇编码';
comment on column v_fulfilment_by_branch_type.town_name is '乡镇名称';
comment on column v_fulfilment_by_branch_type.branch_type is '支部类型代码；镇党委为空';
comment on column v_fulfilment_by_branch_type.branch_type_label is '支部类型（镇党委自身显示为“镇党委”）';
comment on column v_fulfilment_by_branch_type.pledges is '承诺数（组织承诺和党员承诺）';
comment on column v_fulfilment_by_branch_type.reviewed is '已审核数：已通过或退回修改';
comment on column v_fulfilment_by_branch_type.approved is '已通过审核的承诺数';
comment on column v_fulfilment_by_branch_type.fulfilled is '已兑现数（已通过且已兑现）';
comment on column v_fulfilment_by_branch_type.partly_fulfilled is '部分兑现数（不计入已兑现）';
comment on column v_fulfilment_by_branch_type.overdue is '逾期数：已通过、未兑现、完成时限早于统计截止日';
comment on column v_fulfilment_by_branch_type.fulfilment_rate is '兑现率 = fulfilled / approved；无已通过承诺时为空';
comment on column v_fulfilment_by_branch_type.review_rate is '审核率 = reviewed / pledges';
