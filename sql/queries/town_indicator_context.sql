-- One town's indicators in one year with 同期, last year's final, the projection and its band.
select indicator, value, value_same_date_last_year, value_last_year, projected_value, projection_error,
    projection_error_worst, awaiting_filing
from v_town_indicators
where town_id = $town_id and year = $year
