-- materialise: yes
-- depends on: v_reporting_years
-- Member pledge coverage of every organisation in every reporting year.
-- A member counts from the year they joined (joined by 31 December); so does their pledge.
create view v_member_coverage as
with
org_years as (
    select y.year, y.year_end, o.org_id, o.org_name, o.town_id, o.org_level, o.branch_type
    from orgs as o
    cross join v_reporting_years as y
),
joined_members as (
    select y.year, m.org_id, m.member_id
    from members as m
    inner join v_reporting_years as y on m.joined_on <= y.year_end
),
member_counts as (
    select year, org_id, count(*) as members
    from joined_members
    group by year, org_id
),
pledged_members as (
    -- A semi join keeps each member-year once however many pledges it has, so count(*) counts
    -- members (member_id is unique in members): twice as fast as count(distinct) over a join.
    select j.year, j.org_id, count(*) as members_pledged
    from joined_members as j
    semi join (select member_id, year from pledges where review_status = '已通过') as p
        on p.member_id = j.member_id and p.year = j.year
    group by j.year, j.org_id
),
final as (
    select
        oy.year,
        oy.town_id,
        t.town_name,
        oy.org_id,
        oy.org_name,
        oy.org_level,
        lv.org_level_label,
        oy.branch_type,
        bt.branch_type_label,
        coalesce(mc.members, 0) as members,
        coalesce(pm.members_pledged, 0) as members_pledged,
        coalesce(pm.members_pledged, 0) / nullif(mc.members, 0) as coverage_rate
    from org_years as oy
    inner join towns as t on t.town_id = oy.town_id
    inner join org_levels as lv on lv.org_level = oy.org_level
    inner join branch_types as bt on bt.branch_type is not distinct from oy.branch_type
    left join member_counts as mc on mc.year = oy.year and mc.org_id = oy.org_id
    left join pledged_members as pm on pm.year = oy.year and pm.org_id = oy.org_id
)
select * from final;

comment on view v_member_coverage is '党员承诺覆盖率：每个党组织每个年度一行';
comment on column v_member_coverage.year is '年度';
comment on column v_member_coverage.town_id is '乡镇编码';
comment on column v_member_coverage.town_name is '乡镇名称';
comment on column v_member_coverage.org_id is '组织编码';
comment on column v_member_coverage.org_name is '组织名称';
comment on column v_member_coverage.org_level is '组织层级代码：committee / general_branch / branch';
comment on column v_member_coverage.org_level_label is '组织层级：党委 / 党总支 / 党支部';
comment on column v_member_coverage.branch_type is '支部类型代码；镇党委为空';
comment on column v_member_coverage.branch_type_label is '支部类型（镇党委自身显示为“镇党委”）';
comment on column v_member_coverage.members is '党员数：该组织中当年 12 月 31 日前已入党的党员';
comment on column v_member_coverage.members_pledged is '作出承诺的党员数：上述党员中当年至少有一项已通过审核的承诺者';
comment on column v_member_coverage.coverage_rate is '承诺覆盖率 = members_pledged / members；无党员时为空';
