-- 013_dashboard: the leadership dashboard's on-time trend reads the
-- per unit x procedure x day counters of eval_rollup (009). For a whole
-- province over a month the unit_path index would walk every row of the
-- province; this covering index walks only the month's rows and never
-- touches the table.

CREATE INDEX eval_rollup_day ON eval_rollup(day, unit_path, received,
    received_online, finished, finished_on_time);
