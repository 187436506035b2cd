-- Enumerations hold only their canonical values (the contract's codes and labels).
with
found as (
    select 'orgs.org_level' as field, org_level as value from orgs
    where org_level not in ('committee', 'general_branch', 'branch')
    union all select 'orgs.branch_type', branch_type from orgs
    where branch_type not in ('village', 'organ', 'non_public', 'retired', 'social')
    union all select 'members.gender', gender from members where gender not in ('男', '女')
    union all select 'pledges.pledger_kind', pledger_kind from pledges where pledger_kind not in ('组织', '党员')
    union all select 'pledges.review_status', review_status from pledges
    where review_status not in ('待审核', '已通过', '退回修改')
    union all select 'pledges.fulfilment_status', fulfilment_status from pledges
    where fulfilment_status not in ('未开始', '进行中', '已兑现', '部分兑现', '未兑现')
    union all select 'pledges.mass_rating', mass_rating from pledges where mass_rating not in ('满意', '基本满意', '不满意')
    union all select 'awards.vanguard_kind', vanguard_kind from awards
    where vanguard_kind not in ('学习先锋', '服务先锋', '廉洁先锋', '致富先锋', '兴业先锋', '和谐先锋')
    union all select 'awards.level', level from awards where level not in ('镇级', '县级', '市级', '省级')
    union all select 'assessments.leadership_grade', leadership_grade from assessments
    where leadership_grade not in ('好', '较好', '一般', '差')
    union all select 'criteria.good', good from criteria
    where good not in ('领导班子好', '党员队伍好', '工作机制好', '群众反映好', '先锋示范好')
    union all select 'criteria.operator', operator from criteria where operator not in ('>=', '<=', '>', '<', '=')
    union all select 'criteria_bands.status', status from criteria_bands where status not in ('达标', '接近')
    union all select 'v_readiness.status', status from v_readiness where status not in ('达标', '接近', '差距较大')
    union all select 'v_readiness.projected_status', projected_status from v_readiness
    where projected_status not in ('达标', '接近', '差距较大')
)
select field, value, count(*) as rows from found group by all
