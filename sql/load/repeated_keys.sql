-- Every copy of a key after the key's first row in the file (etl/load.py, Building.repeated_keys).
-- Read while the load builds the warehouse, once, after the file's last batch. {table}, {key} and
-- {first_key} are the file's table and key columns as etl/contract.py names them (never user text):
--   {table} (source_row__ = the line in the file) holds the rows that passed their batch;
--   outside holds the rows rejected in their batch whose key is filled (their key still counts);
--   typed holds the first key column as typed where cleaning changed it (else the cell is the value).
-- Only keys seen more than once are windowed: nearly every key of a file is seen once.
with every_row as (
    select source_row__ as row_number, {key}
    from {table}
    union all by name
    select row_number, {key}
    from outside
),

repeated as (
    select {key}
    from every_row
    group by {key}
    having count(*) > 1
),

copies as (
    select
        *,
        min(row_number) over (partition by {key}) as first_row
    from every_row
    semi join repeated using ({key})
),

final as (
    select
        c.*,
        coalesce(t.raw__{first_key}, c.{first_key}) as raw__{first_key}
    from copies as c
    left join typed as t using (row_number)
    where c.row_number <> c.first_row
)

select * from final
