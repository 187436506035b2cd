-- materialise: yes
-- depends on: v_town_to_date, v_town_summary, v_reporting_years
-- The year-end projection of each indicator, made as it could have been made on each cutoff date
-- of each year (v_town_to_date), from that year's records up to the date and earlier years only.
--
-- The season: of everything a year finally fulfils (or awards), what share was already recorded by
-- this date, pooled over the finished years before it: the town's own share, pulled towards the
-- county's by 200 fulfilments (50 awards) of weight, so a town with little history follows the
-- county. projected = what is in so far + (1 − share) × the level expected for the rest of the year.
-- That level is the town's usual one: the average of its finished years (one good or bad year sways
-- it less than last year's alone, measured: bench/projection.py), moved, for the fulfilment rates,
-- by how this year's pledges already due did against those due by the same date in past years (a
-- difference in points, trusted by due ÷ (due + 200): a handful of due pledges moves it little).
-- With no earlier year it falls back to the linear pace, kept beside it for the backtest.
-- Annual items (the assessment) cannot be known before the year's filing: to date NULL, projected
-- by the average of past years (counts, violations and failed members, by their median: a typical
-- year, so one past violation does not veto every later year). Figures settled early in the year
-- (coverage, reviews, ratings) are carried.
create view v_town_projection as
with
history as (
    -- what each finished year had recorded by each cutoff, and in the end
    select
        d.year,
        d.town_id,
        d.county_name,
        d.cutoff,
        d.fulfilled as fulfilled_by,
        s.fulfilled as fulfilled_final,
        d.due as due_by,
        d.due_fulfilled as due_fulfilled_by,
        d.member_due as member_due_by,
        d.member_due_fulfilled as member_due_fulfilled_by,
        d.vanguards as vanguards_by,
        s.vanguards as vanguards_final
    from v_town_to_date as d
    inner join v_town_summary as s on s.year = d.year and s.town_id = d.town_id
    where d.is_complete
),
county_history as (
    select year, county_name, cutoff,
        sum(fulfilled_by) as fulfilled_by, sum(fulfilled_final) as fulfilled_final,
        sum(vanguards_by) as vanguards_by, sum(vanguards_final) as vanguards_final
    from history
    group by year, county_name, cutoff
),
targets as (
    -- every finished year at every cutoff (replayed), and the year in progress at its as-of date
    select d.*
    from v_town_to_date as d
    where d.is_complete or d.cutoff = 0
),
town_season as (
    select t.year, t.town_id, t.cutoff,
        sum(h.fulfilled_by) as fulfilled_by, sum(h.fulfilled_final) as fulfilled_final,
        sum(h.vanguards_by) as vanguards_by, sum(h.vanguards_final) as vanguards_final,
        sum(h.due_fulfilled_by) / nullif(sum(h.due_by), 0) as due_fulfilled_rate,
        sum(h.member_due_fulfilled_by) / nullif(sum(h.member_due_by), 0) as member_due_fulfilled_rate
    from targets as t
    inner join history as h on h.town_id = t.town_id and h.cutoff = t.cutoff and h.year < t.year
    group by t.year, t.town_id, t.cutoff
),
county_season as (
    select t.year, t.county_name, t.cutoff,
        sum(h.fulfilled_by) / nullif(sum(h.fulfilled_final), 0) as fulfilled_share,
        sum(h.vanguards_by) / nullif(sum(h.vanguards_final), 0) as vanguards_share
    from (select distinct year, county_name, cutoff from targets) as t
    inner join county_history as h on h.county_name = t.county_name and h.cutoff = t.cutoff and h.year < t.year
    group by t.year, t.county_name, t.cutoff
),
seasons as (
    select
        t.year,
        t.town_id,
        t.cutoff,
        (coalesce(ts.fulfilled_by, 0) + 200 * cs.fulfilled_share) / (coalesce(ts.fulfilled_final, 0) + 200)
            as fulfilled_share,
        (coalesce(ts.vanguards_by, 0) + 50 * cs.vanguards_share) / (coalesce(ts.vanguards_final, 0) + 50)
            as vanguards_share,
        ts.due_fulfilled_rate as past_due_fulfilled_rate,
        ts.member_due_fulfilled_rate as past_member_due_fulfilled_rate
    from targets as t
    left join town_season as ts on ts.year = t.year and ts.town_id = t.town_id and ts.cutoff = t.cutoff
    left join county_season as cs on cs.year = t.year and cs.county_name = t.county_name and cs.cutoff = t.cutoff
),
past as (
    -- the town's finished years before the target year, averaged: a town's usual level, less
    -- swayed by one good or bad year than last year's alone; counts by their median (a typical year)
    select
        t.year,
        t.town_id,
        avg(s.fulfilment_rate) as fulfilment_rate,
        avg(s.member_fulfilment_rate) as member_fulfilment_rate,
        avg(s.vanguards_per_100) as vanguards_per_100,
        median(s.violations) as violations,
        median(s.failed_members) as failed_members,
        avg(s.leadership_good_rate) as leadership_good_rate,
        avg(s.meetings_per_org) as meetings_per_org,
        avg(s.satisfaction_rate) as satisfaction_rate
    from (select distinct year, town_id from targets) as t
    inner join v_town_summary as s on s.town_id = t.town_id and s.year < t.year
    inner join v_reporting_years as y on y.year = s.year and y.is_complete
    group by t.year, t.town_id
),
wide as (
    select
        t.year,
        t.town_id,
        t.town_name,
        t.county_name,
        t.cutoff,
        t.cutoff_date,
        t.elapsed_fraction,
        t.approved,
        t.member_approved,
        t.members,
        t.fulfilled,
        t.member_fulfilled,
        t.vanguards,
        t.vanguard_kinds,
        t.due,
        t.due_fulfilled,
        t.member_due,
        t.member_due_fulfilled,
        se.fulfilled_share,
        se.vanguards_share,
        se.past_due_fulfilled_rate,
        se.past_member_due_fulfilled_rate,
        s.fulfilment_rate as final_fulfilment_rate,
        s.member_fulfilment_rate as final_member_fulfilment_rate,
        s.vanguards_per_100 as final_vanguards_per_100,
        s.vanguard_kinds as final_vanguard_kinds,
        s.violations, s.failed_members, s.leadership_good_rate, s.meetings_per_org, s.satisfaction_rate,
        s.coverage_rate, s.review_rate, s.org_pledge_coverage, s.mass_rating_rate, s.overdue,
        ly.fulfilment_rate as ly_fulfilment_rate,
        ly.member_fulfilment_rate as ly_member_fulfilment_rate,
        ly.vanguards_per_100 as ly_vanguards_per_100,
        ly.vanguard_kinds as ly_vanguard_kinds,
        ly.violations as ly_violations,
        ly.failed_members as ly_failed_members,
        ly.leadership_good_rate as ly_leadership_good_rate,
        ly.meetings_per_org as ly_meetings_per_org,
        ly.satisfaction_rate as ly_satisfaction_rate,
        ly.coverage_rate as ly_coverage_rate,
        ly.review_rate as ly_review_rate,
        ly.org_pledge_coverage as ly_org_pledge_coverage,
        ly.mass_rating_rate as ly_mass_rating_rate,
        ly.overdue as ly_overdue,
        pa.fulfilment_rate as past_fulfilment_rate,
        pa.member_fulfilment_rate as past_member_fulfilment_rate,
        pa.vanguards_per_100 as past_vanguards_per_100,
        pa.violations as past_violations,
        pa.failed_members as past_failed_members,
        pa.leadership_good_rate as past_leadership_good_rate,
        pa.meetings_per_org as past_meetings_per_org,
        pa.satisfaction_rate as past_satisfaction_rate
    from targets as t
    inner join seasons as se on se.year = t.year and se.town_id = t.town_id and se.cutoff = t.cutoff
    inner join v_town_summary as s on s.year = t.year and s.town_id = t.town_id
    left join v_town_summary as ly on ly.year = t.year - 1 and ly.town_id = t.town_id
    left join past as pa on pa.year = t.year and pa.town_id = t.town_id
),
rates as (
    -- to date, as a share of the year's approved pledges / per 100 members
    select
        *,
        fulfilled / nullif(approved, 0) as fulfilment_to_date,
        member_fulfilled / nullif(member_approved, 0) as member_fulfilment_to_date,
        vanguards * 100 / nullif(members, 0) as vanguards_per_100_to_date
    from wide
),
levels as (
    -- the level the rest of the year is expected at: the town's past average, moved by how the
    -- pledges already due this year did against those due by the same date in past years
    -- (a difference in points, trusted in proportion to how many are due: due ÷ (due + 200))
    select
        *,
        greatest(0, least(1, past_fulfilment_rate + coalesce(
            (due_fulfilled / nullif(due, 0) - past_due_fulfilled_rate) * due / (due + 200), 0)))
            as fulfilment_level,
        greatest(0, least(1, past_member_fulfilment_rate + coalesce(
            (member_due_fulfilled / nullif(member_due, 0) - past_member_due_fulfilled_rate)
                * member_due / (member_due + 200), 0)))
            as member_fulfilment_level
    from rates
),
seasonal as (
    -- what is in so far, plus the share still to come at the level expected for it; no history:
    -- the linear pace
    select
        *,
        case
            when fulfilment_to_date is null then null
            when fulfilled_share is null or fulfilled_share <= 0 then coalesce(past_fulfilment_rate, least(1, fulfilment_to_date / elapsed_fraction))
            else fulfilled_share * least(1, fulfilment_to_date / fulfilled_share)
                + (1 - fulfilled_share) * coalesce(
                    fulfilment_level,
                    least(1, fulfilment_to_date / fulfilled_share))
        end as projected_fulfilment_rate,
        case
            when member_fulfilment_to_date is null then null
            when fulfilled_share is null or fulfilled_share <= 0 then coalesce(past_member_fulfilment_rate, least(1, member_fulfilment_to_date / elapsed_fraction))
            else fulfilled_share * least(1, member_fulfilment_to_date / fulfilled_share)
                + (1 - fulfilled_share) * coalesce(
                    member_fulfilment_level,
                    least(1, member_fulfilment_to_date / fulfilled_share))
        end as projected_member_fulfilment_rate,
        case
            when vanguards_per_100_to_date is null then null
            when vanguards_share is null or vanguards_share <= 0 then coalesce(past_vanguards_per_100, vanguards_per_100_to_date / elapsed_fraction)
            else vanguards_per_100_to_date
                + (1 - vanguards_share) * coalesce(
                    past_vanguards_per_100,
                    vanguards_per_100_to_date / vanguards_share)
        end as projected_vanguards_per_100,
        case
            when vanguards_share >= 1 then vanguard_kinds
            else greatest(vanguard_kinds, coalesce(ly_vanguard_kinds, 0))
        end as projected_vanguard_kinds
    from levels
),
long_form as (
    select year, town_id, cutoff, 'fulfilment_rate' as indicator, fulfilment_to_date as value_to_date,
        final_fulfilment_rate as final_value, ly_fulfilment_rate as value_last_year, fulfilled_share as season_share,
        projected_fulfilment_rate as projected_value,
        least(1, fulfilment_to_date / elapsed_fraction) as linear_value
    from seasonal
    union all
    select year, town_id, cutoff, 'member_fulfilment_rate', member_fulfilment_to_date,
        final_member_fulfilment_rate, ly_member_fulfilment_rate, fulfilled_share,
        projected_member_fulfilment_rate, least(1, member_fulfilment_to_date / elapsed_fraction)
    from seasonal
    union all
    select year, town_id, cutoff, 'vanguards_per_100', vanguards_per_100_to_date,
        final_vanguards_per_100, ly_vanguards_per_100, vanguards_share,
        projected_vanguards_per_100, vanguards_per_100_to_date / elapsed_fraction
    from seasonal
    union all
    select year, town_id, cutoff, 'vanguard_kinds', cast(vanguard_kinds as double),
        cast(final_vanguard_kinds as double), cast(ly_vanguard_kinds as double), vanguards_share,
        cast(projected_vanguard_kinds as double), cast(vanguard_kinds as double)
    from seasonal
    -- annual items: not filed before the year closes; projected by the past years' average (counts:
    -- median); the linear column keeps last year's, the naive guess, for the backtest
    union all
    select year, town_id, cutoff, 'violations', null, cast(violations as double), cast(ly_violations as double),
        null, past_violations, cast(ly_violations as double)
    from seasonal
    union all
    select year, town_id, cutoff, 'failed_members', null, cast(failed_members as double),
        cast(ly_failed_members as double), null, past_failed_members, cast(ly_failed_members as double)
    from seasonal
    union all
    select year, town_id, cutoff, 'leadership_good_rate', null, leadership_good_rate, ly_leadership_good_rate,
        null, past_leadership_good_rate, ly_leadership_good_rate
    from seasonal
    union all
    select year, town_id, cutoff, 'meetings_per_org', null, meetings_per_org, ly_meetings_per_org,
        null, past_meetings_per_org, ly_meetings_per_org
    from seasonal
    union all
    select year, town_id, cutoff, 'satisfaction_rate', null, satisfaction_rate, ly_satisfaction_rate,
        null, past_satisfaction_rate, ly_satisfaction_rate
    from seasonal
    -- settled early in the year (pledging and review in January–March) or not replayed: carried
    union all
    select year, town_id, cutoff, 'member_coverage', coverage_rate, coverage_rate, ly_coverage_rate,
        null, coverage_rate, coverage_rate
    from seasonal
    union all
    select year, town_id, cutoff, 'review_rate', review_rate, review_rate, ly_review_rate,
        null, review_rate, review_rate
    from seasonal
    union all
    select year, town_id, cutoff, 'org_pledge_coverage', org_pledge_coverage, org_pledge_coverage,
        ly_org_pledge_coverage, null, org_pledge_coverage, org_pledge_coverage
    from seasonal
    union all
    select year, town_id, cutoff, 'mass_rating_rate', mass_rating_rate, mass_rating_rate, ly_mass_rating_rate,
        null, mass_rating_rate, mass_rating_rate
    from seasonal
    union all
    select year, town_id, cutoff, 'overdue_pledges', cast(overdue as double), cast(overdue as double),
        cast(ly_overdue as double), null, cast(overdue as double), cast(overdue as double)
    from seasonal
),
final as (
    select
        l.year,
        w.town_id,
        w.town_name,
        w.county_name,
        l.cutoff,
        w.cutoff_date,
        w.elapsed_fraction,
        l.indicator,
        l.value_to_date,
        l.final_value,
        l.value_last_year,
        l.season_share,
        l.projected_value,
        l.linear_value
    from long_form as l
    inner join wide as w on w.year = l.year and w.town_id = l.town_id and w.cutoff = l.cutoff
)
select * from final;

comment on view v_town_projection is '年底推算（含回测）：每个乡镇、年度、截止点、指标一行：按当时已有的记录和此前各年的季节规律推算年底值，并列出线性推算和年底实际值';
comment on column v_town_projection.year is '年度';
comment on column v_town_projection.town_id is '乡镇编码';
comment on column v_town_projection.town_name is '乡镇名称';
comment on column v_town_projection.county_name is '所属县';
comment on column v_town_projection.cutoff is '截止点：1–12 为该月月末，0 为与最近一次装载同月同日';
comment on column v_town_projection.cutoff_date is '截止日期';
comment on column v_town_projection.elapsed_fraction is '截止日时年度已过去的比例';
comment on column v_town_projection.indicator is '指标代码';
comment on column v_town_projection.value_to_date is '截至截止日的指标值；年度考核项在年度结束前为空（待填报）';
comment on column v_town_projection.final_value is '该年度的指标值（往年为全年实际值，当年为截至统计截止日的值）';
comment on column v_town_projection.value_last_year is '上一年度全年的指标值';
comment on column v_town_projection.season_share is '往年同期已记录的份额：往年到此日已兑现（或已表彰）数占全年的比例，本镇历史与全县规律加权';
comment on column v_town_projection.projected_value is '按往年同期规律推算的年底值';
comment on column v_town_projection.linear_value is '按已过去的年度比例线性外推的年底值（对照用）';
