-- materialise: yes
-- depends on: v_reporting_years, v_town_summary
-- Each town's year as it stood on earlier dates of that year: at the end of every month, and on
-- the load's own month and day (cutoff 0, the same date as the year in progress: 同期). Built from
-- the records' own dates: pledges fulfilled by then, awards given by then, members joined by then.
-- The seasonal projection learns from these rows, and the backtest replays past years with them.
create view v_town_to_date as
with
months as (
    select month from (values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)) as m (month)
),
cutoff_points as (
    select y.year, 0 as cutoff, y.same_date as cutoff_date
    from v_reporting_years as y
    union all
    select y.year, m.month as cutoff, last_day(make_date(y.year, m.month, 1)) as cutoff_date
    from v_reporting_years as y
    cross join months as m
),
cutoffs as (
    -- a date after the load's as-of date has not been seen yet: no replay of the future
    select
        c.year,
        c.cutoff,
        c.cutoff_date,
        y.year_start,
        y.year_end,
        y.is_complete,
        (date_diff('day', y.year_start, c.cutoff_date) + 1) / (date_diff('day', y.year_start, y.year_end) + 1)
            as elapsed_fraction
    from cutoff_points as c
    inner join v_reporting_years as y on y.year = c.year
    where c.cutoff_date <= y.as_of
),
fulfilment_days as (
    select
        p.year,
        o.town_id,
        p.fulfilled_on,
        count(*) as fulfilled,
        count(*) filter (where p.pledger_kind = '党员') as member_fulfilled
    from pledges as p
    inner join orgs as o on o.org_id = p.org_id
    where p.review_status = '已通过' and p.fulfilment_status = '已兑现' and p.fulfilled_on is not null
    group by p.year, o.town_id, p.fulfilled_on
),
fulfilled_by as (
    select c.year, c.cutoff, d.town_id, sum(d.fulfilled) as fulfilled, sum(d.member_fulfilled) as member_fulfilled
    from cutoffs as c
    inner join fulfilment_days as d on d.year = c.year and d.fulfilled_on <= c.cutoff_date
    group by c.year, c.cutoff, d.town_id
),
settled_days as (
    -- pledges whose deadline has come: counted from their due date; fulfilled ones (by their
    -- deadline or later) from the later of the two dates, so "due by the cutoff and fulfilled by
    -- it" is one comparison with the cutoff
    select
        p.year,
        o.town_id,
        p.due_on as day,
        count(*) as due,
        count(*) filter (where p.pledger_kind = '党员') as member_due,
        0 as due_fulfilled,
        0 as member_due_fulfilled
    from pledges as p
    inner join orgs as o on o.org_id = p.org_id
    where p.review_status = '已通过' and p.due_on is not null
    group by p.year, o.town_id, p.due_on
    union all
    select
        p.year,
        o.town_id,
        greatest(p.due_on, p.fulfilled_on) as day,
        0,
        0,
        count(*),
        count(*) filter (where p.pledger_kind = '党员')
    from pledges as p
    inner join orgs as o on o.org_id = p.org_id
    where p.review_status = '已通过' and p.fulfilment_status = '已兑现' and p.fulfilled_on is not null
        and p.due_on is not null
    group by p.year, o.town_id, greatest(p.due_on, p.fulfilled_on)
),
settled_by as (
    select
        c.year,
        c.cutoff,
        d.town_id,
        sum(d.due) as due,
        sum(d.member_due) as member_due,
        sum(d.due_fulfilled) as due_fulfilled,
        sum(d.member_due_fulfilled) as member_due_fulfilled
    from cutoffs as c
    inner join settled_days as d on d.year = c.year and d.day <= c.cutoff_date
    group by c.year, c.cutoff, d.town_id
),
award_days as (
    select a.year, o.town_id, a.awarded_on, a.vanguard_kind, count(*) as vanguards
    from awards as a
    left join members as m on m.member_id = a.member_id
    inner join orgs as o on o.org_id = coalesce(m.org_id, a.org_id)
    group by a.year, o.town_id, a.awarded_on, a.vanguard_kind
),
awarded_by as (
    select
        c.year,
        c.cutoff,
        d.town_id,
        sum(d.vanguards) as vanguards,
        count(distinct d.vanguard_kind) as vanguard_kinds
    from cutoffs as c
    inner join award_days as d on d.year = c.year and d.awarded_on <= c.cutoff_date
    group by c.year, c.cutoff, d.town_id
),
late_joiners as (
    -- members who joined within the year after the cutoff: counted at year end, not yet by then
    select c.year, c.cutoff, o.town_id, count(*) as joined_after
    from cutoffs as c
    inner join members as m on m.joined_on > c.cutoff_date and m.joined_on <= c.year_end
    inner join orgs as o on o.org_id = m.org_id
    group by c.year, c.cutoff, o.town_id
),
final as (
    select
        c.year,
        s.town_id,
        s.town_name,
        s.county_name,
        c.cutoff,
        c.cutoff_date,
        c.elapsed_fraction,
        c.is_complete,
        s.members - coalesce(j.joined_after, 0) as members,
        s.approved,
        s.member_approved,
        coalesce(f.fulfilled, 0) as fulfilled,
        coalesce(f.member_fulfilled, 0) as member_fulfilled,
        coalesce(d.due, 0) as due,
        coalesce(d.due_fulfilled, 0) as due_fulfilled,
        coalesce(d.member_due, 0) as member_due,
        coalesce(d.member_due_fulfilled, 0) as member_due_fulfilled,
        coalesce(a.vanguards, 0) as vanguards,
        coalesce(a.vanguard_kinds, 0) as vanguard_kinds
    from cutoffs as c
    inner join v_town_summary as s on s.year = c.year
    left join fulfilled_by as f on f.year = c.year and f.cutoff = c.cutoff and f.town_id = s.town_id
    left join settled_by as d on d.year = c.year and d.cutoff = c.cutoff and d.town_id = s.town_id
    left join awarded_by as a on a.year = c.year and a.cutoff = c.cutoff and a.town_id = s.town_id
    left join late_joiners as j on j.year = c.year and j.cutoff = c.cutoff and j.town_id = s.town_id
)
select * from final;

comment on view v_town_to_date is '乡镇年度截至某日的情况：每个乡镇、年度、截止点一行（各月月末，及与最近一次装载同月同日的“同期”日），用于同期对比、季节推算和回测';
comment on column v_town_to_date.year is '年度';
comment on column v_town_to_date.town_id is '乡镇编码';
comment on column v_town_to_date.town_name is '乡镇名称';
comment on column v_town_to_date.county_name is '所属县';
comment on column v_town_to_date.cutoff is '截止点：1–12 为该月月末，0 为与最近一次装载同月同日（同期）';
comment on column v_town_to_date.cutoff_date is '截止日期（2 月 29 日在平年取 2 月 28 日）';
comment on column v_town_to_date.elapsed_fraction is '截止日时年度已过去的比例';
comment on column v_town_to_date.is_complete is '该年度是否已结束';
comment on column v_town_to_date.members is '截止日前已入党的党员数';
comment on column v_town_to_date.approved is '已通过审核的承诺数（按现有记录）';
comment on column v_town_to_date.member_approved is '已通过审核的党员承诺数（按现有记录）';
comment on column v_town_to_date.fulfilled is '截止日前已兑现的承诺数（按兑现日期）';
comment on column v_town_to_date.member_fulfilled is '截止日前已兑现的党员承诺数';
comment on column v_town_to_date.due is '截止日前已到完成时限的已通过承诺数';
comment on column v_town_to_date.due_fulfilled is '其中截止日前已兑现的承诺数';
comment on column v_town_to_date.member_due is '截止日前已到完成时限的已通过党员承诺数';
comment on column v_town_to_date.member_due_fulfilled is '其中截止日前已兑现的党员承诺数';
comment on column v_town_to_date.vanguards is '截止日前的先锋表彰数（按表彰日期）';
comment on column v_town_to_date.vanguard_kinds is '截止日前已出现的先锋类别数';
