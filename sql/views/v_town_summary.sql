-- materialise: yes
-- depends on: v_reporting_years, v_member_coverage, v_pledge_fulfilment, v_vanguard_counts
-- One row per town and reporting year with every headline figure; the indicators, the readiness
-- score and the comparison all read from here, so a figure is computed once.
create view v_town_summary as
with
town_years as (
    select y.year, y.as_of, y.elapsed_fraction, t.town_id, t.town_name, t.county_name
    from towns as t
    cross join v_reporting_years as y
),
org_counts as (
    select town_id, count(*) as orgs
    from orgs
    group by town_id
),
member_counts as (
    select year, town_id, sum(members) as members, sum(members_pledged) as members_pledged
    from v_member_coverage
    group by year, town_id
),
pledge_counts as (
    select
        year,
        town_id,
        sum(pledges) as pledges,
        sum(reviewed) as reviewed,
        sum(approved) as approved,
        sum(fulfilled) as fulfilled,
        sum(partly_fulfilled) as partly_fulfilled,
        sum(overdue) as overdue,
        sum(fulfilled_late) as fulfilled_late,
        sum(approved) filter (where pledger_kind = '党员') as member_approved,
        sum(fulfilled) filter (where pledger_kind = '党员') as member_fulfilled,
        sum(rated) as rated,
        sum(rated_satisfied) as rated_satisfied,
        count(distinct org_id) filter (where pledger_kind = '组织') as orgs_pledged
    from v_pledge_fulfilment
    group by year, town_id
),
vanguard_counts as (
    select year, town_id, sum(vanguards) as vanguards, count(distinct vanguard_kind) as vanguard_kinds
    from v_vanguard_counts
    group by year, town_id
),
assessment_sums as (
    select
        a.year,
        o.town_id,
        count(*) as orgs_assessed,
        sum(a.violations) as violations,
        sum(a.failed_members) as failed_members,
        count(a.leadership_grade) as orgs_graded,
        count(*) filter (where a.leadership_grade in ('好', '较好')) as orgs_graded_good,
        sum(a.meetings_held) as meetings_held,
        count(a.meetings_held) as orgs_reporting_meetings,
        sum(a.survey_respondents) as survey_respondents,
        sum(a.survey_satisfied) as survey_satisfied,
        sum(a.survey_basic) as survey_basic
    from assessments as a
    inner join orgs as o on o.org_id = a.org_id
    group by a.year, o.town_id
),
counts as (
    select
        ty.*,
        coalesce(oc.orgs, 0) as orgs,
        coalesce(mc.members, 0)::bigint as members,
        coalesce(mc.members_pledged, 0)::bigint as members_pledged,
        coalesce(pc.pledges, 0)::bigint as pledges,
        coalesce(pc.reviewed, 0)::bigint as reviewed,
        coalesce(pc.approved, 0)::bigint as approved,
        coalesce(pc.fulfilled, 0)::bigint as fulfilled,
        coalesce(pc.partly_fulfilled, 0)::bigint as partly_fulfilled,
        coalesce(pc.overdue, 0)::bigint as overdue,
        coalesce(pc.fulfilled_late, 0)::bigint as fulfilled_late,
        coalesce(pc.member_approved, 0)::bigint as member_approved,
        coalesce(pc.member_fulfilled, 0)::bigint as member_fulfilled,
        coalesce(pc.rated, 0)::bigint as rated,
        coalesce(pc.rated_satisfied, 0)::bigint as rated_satisfied,
        coalesce(pc.orgs_pledged, 0) as orgs_pledged,
        coalesce(vc.vanguards, 0)::bigint as vanguards,
        coalesce(vc.vanguard_kinds, 0) as vanguard_kinds,
        coalesce(a.orgs_assessed, 0) as orgs_assessed,
        a.violations::bigint as violations,
        a.failed_members::bigint as failed_members,
        a.orgs_graded,
        a.orgs_graded_good,
        a.meetings_held::bigint as meetings_held,
        a.orgs_reporting_meetings,
        a.survey_respondents::bigint as survey_respondents,
        a.survey_satisfied::bigint as survey_satisfied,
        a.survey_basic::bigint as survey_basic
    from town_years as ty
    left join org_counts as oc on oc.town_id = ty.town_id
    left join member_counts as mc on mc.year = ty.year and mc.town_id = ty.town_id
    left join pledge_counts as pc on pc.year = ty.year and pc.town_id = ty.town_id
    left join vanguard_counts as vc on vc.year = ty.year and vc.town_id = ty.town_id
    left join assessment_sums as a on a.year = ty.year and a.town_id = ty.town_id
),
final as (
    select
        *,
        fulfilled / nullif(approved, 0) as fulfilment_rate,
        reviewed / nullif(pledges, 0) as review_rate,
        member_fulfilled / nullif(member_approved, 0) as member_fulfilment_rate,
        members_pledged / nullif(members, 0) as coverage_rate,
        orgs_pledged / nullif(orgs, 0) as org_pledge_coverage,
        vanguards * 100 / nullif(members, 0) as vanguards_per_100,
        approved * 100 / nullif(members, 0) as approved_per_100,
        fulfilled * 100 / nullif(members, 0) as fulfilled_per_100,
        orgs_graded_good / nullif(orgs_graded, 0) as leadership_good_rate,
        meetings_held / nullif(orgs_reporting_meetings, 0) as meetings_per_org,
        (survey_satisfied + survey_basic) / nullif(survey_respondents, 0) as satisfaction_rate,
        rated_satisfied / nullif(rated, 0) as mass_rating_rate
    from counts
)
select * from final;

comment on view v_town_summary is '乡镇年度概况：每个乡镇每个年度一行，汇总组织、党员、承诺、先锋和年度考核的各项数字';
comment on column v_town_summary.year is '年度';
comment on column v_town_summary.as_of is '统计截止日：往年为 12 月 31 日，当年为装载的统计截止日';
comment on column v_town_summary.elapsed_fraction is '截止日时年度已过去的比例（0 到 1）';
comment on column v_town_summary.town_id is '乡镇编码';
comment on column v_town_summary.town_name is '乡镇名称';
comment on column v_town_summary.county_name is '所属县';
comment on column v_town_summary.orgs is '党组织数（党委、党总支、党支部）';
comment on column v_town_summary.members is '党员数：当年 12 月 31 日前已入党的党员';
comment on column v_town_summary.members_pledged is '当年有已通过承诺的党员数（只计已入党者）';
comment on column v_town_summary.pledges is '承诺数（全部审核状态）';
comment on column v_town_summary.reviewed is '已审核数：已通过或退回修改';
comment on column v_town_summary.approved is '已通过审核的承诺数';
comment on column v_town_summary.fulfilled is '已兑现数（已通过且已兑现）';
comment on column v_town_summary.partly_fulfilled is '部分兑现数（不计入已兑现）';
comment on column v_town_summary.overdue is '逾期数：已通过、未兑现、完成时限早于判断日（往年为次年 1 月 1 日，当年为统计截止日）';
comment on column v_town_summary.fulfilled_late is '逾期兑现数：已兑现但兑现日期晚于完成时限';
comment on column v_town_summary.member_approved is '已通过的党员承诺数';
comment on column v_town_summary.member_fulfilled is '已兑现的党员承诺数';
comment on column v_town_summary.rated is '有群众评议的承诺数';
comment on column v_town_summary.rated_satisfied is '群众评议为满意或基本满意的承诺数';
comment on column v_town_summary.orgs_pledged is '当年作出组织承诺的党组织数';
comment on column v_town_summary.vanguards is '先锋数：当年表彰数';
comment on column v_town_summary.vanguard_kinds is '当年出现的先锋类别数（共六类）';
comment on column v_town_summary.orgs_assessed is '有年度考核记录的组织数';
comment on column v_town_summary.violations is '违纪违法人数合计（无考核记录为空）';
comment on column v_town_summary.failed_members is '年度考核不合格人数合计（无考核记录为空）';
comment on column v_town_summary.orgs_graded is '有班子考核等次的组织数';
comment on column v_town_summary.orgs_graded_good is '班子考核为好或较好的组织数';
comment on column v_town_summary.meetings_held is '组织生活次数合计';
comment on column v_town_summary.orgs_reporting_meetings is '填报了组织生活次数的组织数';
comment on column v_town_summary.survey_respondents is '满意度测评人数合计';
comment on column v_town_summary.survey_satisfied is '满意人数合计';
comment on column v_town_summary.survey_basic is '基本满意人数合计';
comment on column v_town_summary.fulfilment_rate is '兑现率 = fulfilled / approved；无已通过承诺时为空';
comment on column v_town_summary.review_rate is '审核率 = reviewed / pledges；无承诺时为空';
comment on column v_town_summary.member_fulfilment_rate is '党员承诺兑现率 = member_fulfilled / member_approved';
comment on column v_town_summary.coverage_rate is '党员承诺覆盖率 = members_pledged / members';
comment on column v_town_summary.org_pledge_coverage is '组织承诺覆盖率 = orgs_pledged / orgs';
comment on column v_town_summary.vanguards_per_100 is '每百名党员先锋数 = vanguards × 100 / members';
comment on column v_town_summary.approved_per_100 is '每百名党员已通过承诺数';
comment on column v_town_summary.fulfilled_per_100 is '每百名党员已兑现承诺数';
comment on column v_town_summary.leadership_good_rate is '班子考核好和较好占比 = orgs_graded_good / orgs_graded';
comment on column v_town_summary.meetings_per_org is '组织平均组织生活次数 = meetings_held / orgs_reporting_meetings';
comment on column v_town_summary.satisfaction_rate is '群众满意率 =（满意 + 基本满意）/ 测评人数，全镇合计';
comment on column v_town_summary.mass_rating_rate is '承诺群众评议满意率 = rated_satisfied / rated';
