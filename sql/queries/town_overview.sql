-- Headline figures of one town ($town_id) in one year ($year), from the metrics layer.
select
    orgs,
    members,
    pledges,
    reviewed,
    approved,
    fulfilled,
    partly_fulfilled,
    overdue,
    fulfilment_rate,
    vanguards,
    vanguards_per_100,
    coverage_rate,
    as_of
from v_town_summary
where town_id = $town_id and year = $year
