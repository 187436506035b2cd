-- fulfilled + partly fulfilled ≤ approved ≤ reviewed ≤ pledges; overdue ≤ approved − fulfilled;
-- members who pledged ≤ members; profile parts ≤ members; review outcomes add up. Failing rows: where,
-- which row, the counts.
select 'v_pledge_fulfilment' as relation, concat_ws('/', year, org_id, pledger_kind) as row_key,
    pledges, reviewed, approved, fulfilled, partly_fulfilled, overdue
from v_pledge_fulfilment
where not (fulfilled + partly_fulfilled <= approved and approved <= reviewed and reviewed <= pledges
    and overdue <= approved - fulfilled)
union all
select 'v_fulfilment_by_branch_type', concat_ws('/', year, town_id, branch_type),
    pledges, reviewed, approved, fulfilled, partly_fulfilled, overdue
from v_fulfilment_by_branch_type
where not (fulfilled + partly_fulfilled <= approved and approved <= reviewed and reviewed <= pledges
    and overdue <= approved - fulfilled)
union all
select 'v_town_summary', concat_ws('/', year, town_id), pledges, reviewed, approved, fulfilled, partly_fulfilled, overdue
from v_town_summary
where not (fulfilled + partly_fulfilled <= approved and approved <= reviewed and reviewed <= pledges
    and overdue <= approved - fulfilled and member_fulfilled <= member_approved and member_approved <= approved
    and members_pledged <= members and orgs_pledged <= orgs and vanguard_kinds <= 6)
union all
select 'v_member_coverage', concat_ws('/', year, org_id), members, members_pledged, null, null, null, null
from v_member_coverage
where members_pledged > members
union all
select 'v_member_profile', concat_ws('/', year, town_id), members, women, aged_35_or_under, aged_over_60,
    committee_members, null
from v_member_profile
where not (women <= members and aged_35_or_under + aged_over_60 + age_unknown <= members
    and committee_members <= members)
union all
select 'v_member_pledge_review', concat_ws('/', year, town_id), member_pledges, reviewed, approved, sent_back,
    pending, all_three_yes
from v_member_pledge_review
where not (approved + sent_back = reviewed and reviewed + pending = member_pledges
    and opinions_yes + opinions_no <= reviewed and reality_yes + reality_no <= reviewed
    and advanced_yes + advanced_no <= reviewed
    and all_three_yes <= least(opinions_yes, reality_yes, advanced_yes))
