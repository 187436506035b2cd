-- materialise: yes
-- depends on: v_reporting_years
-- Cumulative approved and fulfilled pledges month by month, per town and branch type, for the
-- progress charts. Months run from January to the as-of month (all twelve for a finished year).
-- An approval counts from its review date (else the pledge date); a fulfilment from its date.
-- Dates outside the year are clamped into it (an approval made in the December before counts
-- from January; a date missing or after the as-of date counts at the as-of date), so the last
-- month always equals the year's totals in v_fulfilment_by_branch_type.
create view v_pledge_progress as
with
months as (
    select
        y.year,
        cast(m.month_start as date) as month_start,
        cast(last_day(m.month_start) as date) as month_end
    from v_reporting_years as y,
        unnest(generate_series(y.year_start::timestamp, y.as_of::timestamp, interval 1 month)) as m(month_start)
    where y.as_of >= y.year_start
),
approved_pledges as (
    select
        p.year,
        o.town_id,
        o.branch_type,
        least(greatest(coalesce(p.reviewed_on, p.pledged_on, y.year_start), y.year_start), y.as_of)
            as approved_on,
        case when p.fulfilment_status = '已兑现'
            then least(greatest(coalesce(p.fulfilled_on, y.as_of), y.year_start), y.as_of)
        end as fulfilled_on
    from pledges as p
    inner join orgs as o on o.org_id = p.org_id
    inner join v_reporting_years as y on y.year = p.year
    where p.review_status = '已通过' and y.as_of >= y.year_start
),
groups as (
    select year, town_id, branch_type, count(*) as approved_total
    from approved_pledges
    group by year, town_id, branch_type
),
approvals_by_month as (
    select year, town_id, branch_type, date_trunc('month', approved_on) as month_start, count(*) as approved
    from approved_pledges
    group by all
),
fulfilments_by_month as (
    select year, town_id, branch_type, date_trunc('month', fulfilled_on) as month_start, count(*) as fulfilled
    from approved_pledges
    where fulfilled_on is not null
    group by all
),
monthly as (
    select
        g.year,
        g.town_id,
        g.branch_type,
        g.approved_total,
        mo.month_start,
        coalesce(a.approved, 0) as approved_in_month,
        coalesce(f.fulfilled, 0) as fulfilled_in_month
    from groups as g
    inner join months as mo on mo.year = g.year
    left join approvals_by_month as a
        on a.year = g.year and a.town_id = g.town_id and a.branch_type is not distinct from g.branch_type
        and a.month_start = mo.month_start
    left join fulfilments_by_month as f
        on f.year = g.year and f.town_id = g.town_id and f.branch_type is not distinct from g.branch_type
        and f.month_start = mo.month_start
),
final as (
    select
        m.year,
        m.town_id,
        t.town_name,
        m.branch_type,
        bt.branch_type_label,
        m.month_start as month,
        month(m.month_start) as month_number,
        (sum(m.approved_in_month) over running)::bigint as approved_to_date,
        (sum(m.fulfilled_in_month) over running)::bigint as fulfilled_to_date,
        m.approved_total
    from monthly as m
    inner join towns as t on t.town_id = m.town_id
    inner join branch_types as bt on bt.branch_type is not distinct from m.branch_type
    window running as (partition by m.year, m.town_id, m.branch_type order by m.month_start)
)
select * from final;

comment on view v_pledge_progress is '承诺月度进度：每个乡镇、年度、支部类型、月份一行，已通过和已兑现承诺的累计数（供进度图使用）';
comment on column v_pledge_progress.year is '年度';
comment on column v_pledge_progress.town_id is '乡镇编码';
comment on column v_pledge_progress.town_name is '乡镇名称';
comment on column v_pledge_progress.branch_type is '支部类型代码；镇党委为空';
comment on column v_pledge_progress.branch_type_label is '支部类型（镇党委自身显示为“镇党委”）';
comment on column v_pledge_progress.month is '月份（该月第一天）';
comment on column v_pledge_progress.month_number is '月份序号（1 到 12）';
comment on column v_pledge_progress.approved_to_date is '截至该月底累计通过审核的承诺数（按审核日期，缺则按承诺日期）';
comment on column v_pledge_progress.fulfilled_to_date is '截至该月底累计兑现的承诺数（按兑现日期，缺则计入统计截止日）';
comment on column v_pledge_progress.approved_total is '该年度该组已通过审核的承诺总数（进度目标线的基数）';
