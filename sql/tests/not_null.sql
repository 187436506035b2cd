-- Columns that must always have a value. Failing rows: the relation and column, how many nulls.
with
checks as (
    select 'orgs.org_level' as field, count(*) filter (where org_level is null) as nulls from orgs
    union all select 'orgs.branch_type (non-committee)',
        count(*) filter (where branch_type is null and org_level <> 'committee') from orgs
    union all select 'members.joined_on', count(*) filter (where joined_on is null) from members
    union all select 'pledges.review_status', count(*) filter (where review_status is null) from pledges
    union all select 'pledges.fulfilment_status', count(*) filter (where fulfilment_status is null) from pledges
    union all select 'v_pledge_fulfilment.town_name', count(*) filter (where town_name is null) from v_pledge_fulfilment
    union all select 'v_pledge_fulfilment.branch_type_label',
        count(*) filter (where branch_type_label is null) from v_pledge_fulfilment
    union all select 'v_pledge_fulfilment.review_rate', count(*) filter (where review_rate is null) from v_pledge_fulfilment
    union all select 'v_fulfilment_by_branch_type.branch_type_label',
        count(*) filter (where branch_type_label is null) from v_fulfilment_by_branch_type
    union all select 'v_vanguard_counts.members', count(*) filter (where members is null) from v_vanguard_counts
    union all select 'v_member_coverage.members', count(*) filter (where members is null) from v_member_coverage
    union all select 'v_town_summary.members', count(*) filter (where members is null) from v_town_summary
    union all select 'v_town_indicators.indicator_label (indicator missing from the catalogue)',
        count(*) filter (where indicator_label is null) from v_town_indicators
    union all select 'v_readiness.score', count(*) filter (where score is null) from v_readiness
    union all select 'v_readiness.status', count(*) filter (where status is null) from v_readiness
    union all select 'v_readiness_criteria.points', count(*) filter (where points is null) from v_readiness_criteria
    union all select 'v_readiness_criteria.met', count(*) filter (where met is null) from v_readiness_criteria
    union all select 'v_town_comparison.rank', count(*) filter (where rank is null) from v_town_comparison
    union all select 'v_town_comparison.town_name', count(*) filter (where town_name is null) from v_town_comparison
    union all select 'v_pledge_progress.fulfilled_to_date',
        count(*) filter (where fulfilled_to_date is null) from v_pledge_progress
)
select * from checks where nulls > 0
