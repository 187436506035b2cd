-- materialise: yes
-- depends on: v_member_coverage
-- Vanguard awards of a year by branch type and kind. A member's award counts where the member
-- belongs (their organisation's town and branch type); an organisation's award where it stands.
create view v_vanguard_counts as
with
award_homes as (
    select a.year, a.vanguard_kind, coalesce(m.org_id, a.org_id) as org_id
    from awards as a
    left join members as m on m.member_id = a.member_id
),
award_counts as (
    select h.year, o.town_id, o.branch_type, h.vanguard_kind, count(*) as vanguards
    from award_homes as h
    inner join orgs as o on o.org_id = h.org_id
    group by h.year, o.town_id, o.branch_type, h.vanguard_kind
),
type_members as (
    select year, town_id, branch_type, sum(members)::bigint as members
    from v_member_coverage
    group by year, town_id, branch_type
),
final as (
    select
        c.year,
        c.town_id,
        t.town_name,
        c.branch_type,
        bt.branch_type_label,
        c.vanguard_kind,
        c.vanguards,
        coalesce(tm.members, 0) as members,
        c.vanguards * 100 / nullif(tm.members, 0) as per_100_members
    from award_counts as c
    inner join towns as t on t.town_id = c.town_id
    inner join branch_types as bt on bt.branch_type is not distinct from c.branch_type
    left join type_members as tm
        on tm.year = c.year and tm.town_id = c.town_id and tm.branch_type is not distinct from c.branch_type
)
select * from final;

comment on view v_vanguard_counts is '先锋数：每个乡镇、年度、支部类型、先锋类别一行（只列有表彰的组合）';
comment on column v_vanguard_counts.year is '年度';
comment on column v_vanguard_counts.town_id is '乡镇编码';
comment on column v_vanguard_counts.town_name is '乡镇名称';
comment on column v_vanguard_counts.branch_type is '支部类型代码（党员所在组织或受表彰组织的类型）；镇党委为空';
comment on column v_vanguard_counts.branch_type_label is '支部类型（镇党委自身显示为“镇党委”）';
comment on column v_vanguard_counts.vanguard_kind is '先锋类别';
comment on column v_vanguard_counts.vanguards is '先锋数：当年表彰数（表彰党员和表彰组织）';
comment on column v_vanguard_counts.members is '该乡镇该支部类型的党员数（当年年底前已入党）';
comment on column v_vanguard_counts.per_100_members is '每百名党员先锋数 = vanguards × 100 / members；无党员时为空';
