-- materialise: yes
-- depends on: v_reporting_years
-- The make-up of each town's membership in each reporting year, for 基本情况 of the work summary.
-- Members are those who had joined by 31 December of the year (as for coverage); ages are taken
-- on that day.
create view v_member_profile as
with
town_years as (
    select y.year, y.year_end, t.town_id, t.town_name
    from towns as t
    cross join v_reporting_years as y
),
joined_members as (
    select
        ty.year,
        ty.town_id,
        m.gender,
        m.is_committee,
        -- on 31 December everyone born in a year has had that year's birthday
        ty.year - year(m.birth_date) as age
    from members as m
    inner join orgs as o on o.org_id = m.org_id
    inner join town_years as ty on ty.town_id = o.town_id and m.joined_on <= ty.year_end
),
counts as (
    select
        year,
        town_id,
        count(*) as members,
        count(*) filter (where gender = '女') as women,
        count(*) filter (where age <= 35) as aged_35_or_under,
        count(*) filter (where age > 60) as aged_over_60,
        count(*) filter (where age is null) as age_unknown,
        count(*) filter (where is_committee) as committee_members
    from joined_members
    group by year, town_id
),
final as (
    select
        ty.year,
        ty.town_id,
        ty.town_name,
        coalesce(c.members, 0) as members,
        coalesce(c.women, 0) as women,
        coalesce(c.aged_35_or_under, 0) as aged_35_or_under,
        coalesce(c.aged_over_60, 0) as aged_over_60,
        coalesce(c.age_unknown, 0) as age_unknown,
        coalesce(c.committee_members, 0) as committee_members,
        c.women / nullif(c.members, 0) as women_rate,
        c.aged_35_or_under / nullif(c.members, 0) as aged_35_or_under_rate
    from town_years as ty
    left join counts as c on c.year = ty.year and c.town_id = ty.town_id
)
select * from final;

comment on view v_member_profile is '党员队伍结构：每个乡镇每个年度一行（当年 12 月 31 日前已入党的党员，年龄按当年 12 月 31 日计）';
comment on column v_member_profile.year is '年度';
comment on column v_member_profile.town_id is '乡镇编码';
comment on column v_member_profile.town_name is '乡镇名称';
comment on column v_member_profile.members is '党员数（与 v_town_summary.members 相同）';
comment on column v_member_profile.women is '女党员数';
comment on column v_member_profile.aged_35_or_under is '35 岁及以下党员数';
comment on column v_member_profile.aged_over_60 is '60 岁以上党员数';
comment on column v_member_profile.age_unknown is '出生日期未填、年龄不详的党员数';
comment on column v_member_profile.committee_members is '班子成员数（是否班子成员 = 是）';
comment on column v_member_profile.women_rate is '女党员占比 = women / members；无党员时为空';
comment on column v_member_profile.aged_35_or_under_rate is '35 岁及以下占比 = aged_35_or_under / members；无党员时为空';
