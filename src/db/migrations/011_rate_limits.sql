-- 011_rate_limits: fixed-window rate-limit counters shared by every
-- instance on the database (login failures per username and per client
-- address, kiosk evaluation failures and anonymous feedback per address).
-- bucket is "<rule>:<key>"; window_start is the Unix time the window
-- opened (a multiple of the rule's window). The sweeper deletes old rows.

CREATE TABLE rate_counters (
    bucket TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
) STRICT;
CREATE INDEX rate_counters_window ON rate_counters(window_start);
