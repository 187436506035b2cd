-- materialise: yes
-- depends on: v_reporting_years
-- How member pledges fared in review, per town and year, against the three questions a branch asks
-- of each one (是不是涉及征求到的意见、建议；是不是结合自身实际；是不是体现先进性要求).
-- A member pledge belongs to the town of its org_id (the member's branch).
create view v_member_pledge_review as
with
town_years as (
    select y.year, t.town_id, t.town_name
    from towns as t
    cross join v_reporting_years as y
),
member_pledges as (
    select
        p.year,
        o.town_id,
        p.review_status,
        p.check_opinions,
        p.check_reality,
        p.check_advanced,
        p.review_status in ('已通过', '退回修改') as is_reviewed
    from pledges as p
    inner join orgs as o on o.org_id = p.org_id
    where p.pledger_kind = '党员'
),
counts as (
    select
        year,
        town_id,
        count(*) as member_pledges,
        count(*) filter (where is_reviewed) as reviewed,
        count(*) filter (where review_status = '已通过') as approved,
        count(*) filter (where review_status = '退回修改') as sent_back,
        count(*) filter (where review_status = '待审核') as pending,
        count(*) filter (where is_reviewed and check_opinions) as opinions_yes,
        count(*) filter (where is_reviewed and not check_opinions) as opinions_no,
        count(*) filter (where is_reviewed and check_reality) as reality_yes,
        count(*) filter (where is_reviewed and not check_reality) as reality_no,
        count(*) filter (where is_reviewed and check_advanced) as advanced_yes,
        count(*) filter (where is_reviewed and not check_advanced) as advanced_no,
        count(*) filter (where is_reviewed and check_opinions and check_reality and check_advanced) as all_three_yes,
        count(*) filter (
            where is_reviewed and (check_opinions is null or check_reality is null or check_advanced is null)
        ) as checks_missing,
        count(*) filter (
            where review_status = '已通过' and not (check_opinions and check_reality and check_advanced)
        ) as approved_failing_a_check
    from member_pledges
    group by year, town_id
),
final as (
    select
        ty.year,
        ty.town_id,
        ty.town_name,
        coalesce(c.member_pledges, 0) as member_pledges,
        coalesce(c.reviewed, 0) as reviewed,
        coalesce(c.approved, 0) as approved,
        coalesce(c.sent_back, 0) as sent_back,
        coalesce(c.pending, 0) as pending,
        coalesce(c.opinions_yes, 0) as opinions_yes,
        coalesce(c.opinions_no, 0) as opinions_no,
        coalesce(c.reality_yes, 0) as reality_yes,
        coalesce(c.reality_no, 0) as reality_no,
        coalesce(c.advanced_yes, 0) as advanced_yes,
        coalesce(c.advanced_no, 0) as advanced_no,
        coalesce(c.all_three_yes, 0) as all_three_yes,
        coalesce(c.checks_missing, 0) as checks_missing,
        coalesce(c.approved_failing_a_check, 0) as approved_failing_a_check
    from town_years as ty
    left join counts as c on c.year = ty.year and c.town_id = ty.town_id
)
select * from final;

comment on view v_member_pledge_review is '党员承诺审核：每个乡镇每个年度一行，按“征求意见、结合实际、体现先进性”三项要求';
comment on column v_member_pledge_review.year is '年度';
comment on column v_member_pledge_review.town_id is '乡镇编码';
comment on column v_member_pledge_review.town_name is '乡镇名称';
comment on column v_member_pledge_review.member_pledges is '党员承诺数（全部审核状态）';
comment on column v_member_pledge_review.reviewed is '已审核数（已通过或退回修改）';
comment on column v_member_pledge_review.approved is '审核通过数';
comment on column v_member_pledge_review.sent_back is '退回修改数';
comment on column v_member_pledge_review.pending is '待审核数';
comment on column v_member_pledge_review.opinions_yes is '已审核中“涉及征求到的意见、建议”为是的数量';
comment on column v_member_pledge_review.opinions_no is '已审核中“涉及征求到的意见、建议”为否的数量';
comment on column v_member_pledge_review.reality_yes is '已审核中“结合自身实际”为是的数量';
comment on column v_member_pledge_review.reality_no is '已审核中“结合自身实际”为否的数量';
comment on column v_member_pledge_review.advanced_yes is '已审核中“体现先进性要求”为是的数量';
comment on column v_member_pledge_review.advanced_no is '已审核中“体现先进性要求”为否的数量';
comment on column v_member_pledge_review.all_three_yes is '已审核中三项均为是的数量';
comment on column v_member_pledge_review.checks_missing is '已审核但三项中有未填的数量';
comment on column v_member_pledge_review.approved_failing_a_check is '审核通过但三项中有“否”或未填的数量（审核把关不严的信号）';
