-- Every rate lies within [0, 1] and every per-100 figure is not negative.
with
rates as (
    select 'v_pledge_fulfilment.fulfilment_rate' as field, fulfilment_rate as value from v_pledge_fulfilment
    union all select 'v_pledge_fulfilment.review_rate', review_rate from v_pledge_fulfilment
    union all select 'v_fulfilment_by_branch_type.fulfilment_rate', fulfilment_rate from v_fulfilment_by_branch_type
    union all select 'v_fulfilment_by_branch_type.review_rate', review_rate from v_fulfilment_by_branch_type
    union all select 'v_member_coverage.coverage_rate', coverage_rate from v_member_coverage
    union all select 'v_town_summary.fulfilment_rate', fulfilment_rate from v_town_summary
    union all select 'v_town_summary.review_rate', review_rate from v_town_summary
    union all select 'v_town_summary.member_fulfilment_rate', member_fulfilment_rate from v_town_summary
    union all select 'v_town_summary.coverage_rate', coverage_rate from v_town_summary
    union all select 'v_town_summary.org_pledge_coverage', org_pledge_coverage from v_town_summary
    union all select 'v_town_summary.leadership_good_rate', leadership_good_rate from v_town_summary
    union all select 'v_town_summary.satisfaction_rate', satisfaction_rate from v_town_summary
    union all select 'v_town_summary.mass_rating_rate', mass_rating_rate from v_town_summary
    union all select 'v_town_summary.elapsed_fraction', elapsed_fraction from v_town_summary
    union all select 'v_town_indicators.' || indicator, value from v_town_indicators where unit = '比例'
    union all select 'v_town_indicators.' || indicator || ' (projected)', projected_value
    from v_town_indicators where unit = '比例'
    union all select 'v_town_comparison.fulfilment_rate', fulfilment_rate from v_town_comparison
    union all select 'v_town_comparison.coverage_rate', coverage_rate from v_town_comparison
    union all select 'v_town_comparison.satisfaction_rate', satisfaction_rate from v_town_comparison
),
per_100 as (
    select 'v_vanguard_counts.per_100_members' as field, per_100_members as value from v_vanguard_counts
    union all select 'v_town_summary.vanguards_per_100', vanguards_per_100 from v_town_summary
    union all select 'v_town_comparison.vanguards_per_100', vanguards_per_100 from v_town_comparison
    union all select 'v_town_comparison.approved_per_100', approved_per_100 from v_town_comparison
)
select field, value from rates where value < 0 or value > 1 or isnan(value)
union all
select field, value from per_100 where value < 0 or isnan(value)
