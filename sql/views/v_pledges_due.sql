-- materialise: yes
-- depends on: v_reporting_years
-- What falls due: every approved pledge not yet 已兑现, with days_to_due = due_on − the as-of date
-- in days (negative = overdue). The as-of date is the load's date for the year in progress and
-- 1 January of the next year for a finished year, as for overdue in v_pledge_fulfilment, so a
-- pledge due on the as-of date itself is due today (0 days), not overdue.
create view v_pledges_due as
with
open_pledges as (
    select
        p.year,
        p.pledge_id,
        p.org_id,
        p.pledger_kind,
        p.member_id,
        p.category,
        p.content,
        p.fulfilment_status,
        p.due_on,
        y.overdue_as_of as as_of,
        date_diff('day', y.overdue_as_of, p.due_on) as days_to_due
    from pledges as p
    inner join v_reporting_years as y on y.year = p.year
    where p.review_status = '已通过' and p.fulfilment_status <> '已兑现' and p.due_on is not null
),
final as (
    select
        d.year,
        o.town_id,
        t.town_name,
        d.org_id,
        o.org_name,
        o.branch_type,
        bt.branch_type_label,
        d.pledger_kind,
        coalesce(m.name, o.org_name) as pledger,
        d.member_id,
        d.pledge_id,
        d.category,
        d.content,
        d.fulfilment_status,
        d.due_on,
        d.as_of,
        d.days_to_due,
        d.days_to_due < 0 as is_overdue,
        d.days_to_due between 0 and 30 as is_due_soon
    from open_pledges as d
    inner join orgs as o on o.org_id = d.org_id
    inner join towns as t on t.town_id = o.town_id
    inner join branch_types as bt on bt.branch_type is not distinct from o.branch_type
    left join members as m on m.member_id = d.member_id
)
select * from final;

comment on view v_pledges_due is '待兑现承诺：已通过审核、尚未兑现的每项承诺一行，含距完成时限天数（负数为已逾期），供预警使用';
comment on column v_pledges_due.year is '年度';
comment on column v_pledges_due.town_id is '乡镇编码';
comment on column v_pledges_due.town_name is '乡镇名称';
comment on column v_pledges_due.org_id is '组织编码（组织承诺为承诺组织，党员承诺为党员所在组织）';
comment on column v_pledges_due.org_name is '组织名称';
comment on column v_pledges_due.branch_type is '支部类型代码；镇党委为空';
comment on column v_pledges_due.branch_type_label is '支部类型（镇党委自身显示为“镇党委”）';
comment on column v_pledges_due.pledger_kind is '承诺主体：组织 / 党员';
comment on column v_pledges_due.pledger is '承诺人：党员姓名（页面上打码显示），组织承诺为组织名称';
comment on column v_pledges_due.member_id is '党员编号（组织承诺为空）';
comment on column v_pledges_due.pledge_id is '承诺编号';
comment on column v_pledges_due.category is '承诺类别';
comment on column v_pledges_due.content is '承诺内容';
comment on column v_pledges_due.fulfilment_status is '践诺状态（未兑现的各状态）';
comment on column v_pledges_due.due_on is '完成时限';
comment on column v_pledges_due.as_of is '判断日：当年为统计截止日，往年为次年 1 月 1 日';
comment on column v_pledges_due.days_to_due is '距完成时限天数 = due_on − 判断日；负数为已逾期';
comment on column v_pledges_due.is_overdue is '是否已逾期（days_to_due < 0）';
comment on column v_pledges_due.is_due_soon is '是否 30 天内到期（0 ≤ days_to_due ≤ 30）';
