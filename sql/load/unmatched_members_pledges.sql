-- The pledges whose member is not among the members loaded, or whose member sits in another
-- organisation than the one the pledge is filed under (etl/load.py, Building.unmatched_members).
-- Read while the load builds the warehouse, once, after the last batch of pledges:
--   pledges (source_row__ = the line in the file) holds the rows that passed their batch;
--   held holds the rows rejected in their batch that name a member (still to be checked);
--   typed holds the cells as typed where cleaning changed them (else the cell is the value).
with checked as (
    select source_row__ as row_number, member_id, org_id, pledger_kind
    from pledges
    where member_id is not null
    union all
    select row_number, member_id, org_id, pledger_kind
    from held
),

final as (
    select
        c.row_number,
        c.member_id,
        coalesce(t.raw__member_id, c.member_id) as raw__member_id,
        c.org_id,
        coalesce(t.raw__org_id, c.org_id) as raw__org_id,
        c.pledger_kind,
        m.org_id as member_org,
        case when m.member_id is not null then true end as found__
    from checked as c
    left join members as m on m.member_id = c.member_id
    left join typed as t on t.row_number = c.row_number
    where m.member_id is null or (c.pledger_kind = '党员' and m.org_id <> c.org_id)
)

select * from final
