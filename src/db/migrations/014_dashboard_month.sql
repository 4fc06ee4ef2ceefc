-- 014_dashboard_month: the dashboard's on-time trend is a series of whole
-- months, so it reads the monthly counters of eval_rollup_month (010)
-- rather than a day per row. For a whole province this covering index
-- walks only the asked months' rows and never touches the table.

CREATE INDEX eval_rollup_month_trend ON eval_rollup_month(month, unit_path,
    received, received_online, finished, finished_on_time);
