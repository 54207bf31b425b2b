-- Bounded memory on chDB and a server alike: joins merge sorted runs, sorts and aggregations spill to
-- disk past 128 MiB, and one thread runs the five pair sources one after another instead of holding
-- them all at once (measured at 1M spans: peak 2.3 GB instead of 4.2 GB, ~25% slower).
SETTINGS
    max_threads = 1,
    join_algorithm = 'full_sorting_merge,grace_hash,hash',
    max_bytes_before_external_sort = 134217728,
    max_bytes_before_external_group_by = 134217728
