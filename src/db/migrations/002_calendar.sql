-- 002_calendar: the working-day calendar, versioned.
-- Every change (announced day set or cleared, rule set replaced) creates a
-- row in calendar_versions; rows of calendar_rules and calendar_days carry
-- the version that introduced them (since_version) and the one that
-- superseded them (until_version, NULL while current), so any past version
-- can be rebuilt: rows with since_version <= v AND (until_version IS NULL
-- OR until_version > v).
-- Dates are 'YYYY-MM-DD' TEXT (civil dates, Vietnam local); instants are
-- INTEGER seconds since the Unix epoch (UTC).

CREATE TABLE calendar_versions (
    version INTEGER PRIMARY KEY,
    effective_from INTEGER NOT NULL,    -- instant from which it applies
    created_at INTEGER NOT NULL,
    actor_id INTEGER,                   -- account, NULL for the system
    note TEXT NOT NULL
) STRICT;

-- Statutory rules (data/calendar/rules.csv columns).
CREATE TABLE calendar_rules (
    id INTEGER PRIMARY KEY,
    since_version INTEGER NOT NULL REFERENCES calendar_versions(version),
    until_version INTEGER REFERENCES calendar_versions(version),
    seq INTEGER NOT NULL,               -- order inside the rule set
    code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('weekend','carry','solar','lunar','adjacent')),
    name TEXT NOT NULL,
    month INTEGER NOT NULL,
    mday INTEGER NOT NULL,
    day_offset INTEGER NOT NULL,
    ndays INTEGER NOT NULL,
    weekdays INTEGER NOT NULL,          -- bit (1 << ISO weekday)
    carry_over INTEGER NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,                      -- NULL: still in force
    basis TEXT NOT NULL,
    confidence TEXT NOT NULL
) STRICT;
CREATE INDEX calendar_rules_version ON calendar_rules(since_version, until_version);

-- Announced days (data/calendar/announcements.csv columns); at most one
-- current row per date.
CREATE TABLE calendar_days (
    id INTEGER PRIMARY KEY,
    since_version INTEGER NOT NULL REFERENCES calendar_versions(version),
    until_version INTEGER REFERENCES calendar_versions(version),
    on_date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday','compensatory','off','work')),
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    basis TEXT NOT NULL
) STRICT;
CREATE INDEX calendar_days_date ON calendar_days(on_date, until_version);
CREATE INDEX calendar_days_version ON calendar_days(since_version, until_version);

-- Working hours of a unit (mc_workhours_parse syntax); units without a
-- row use the default Mon-Fri 08:00-12:00, 13:00-17:00.
CREATE TABLE unit_workhours (
    unit_id INTEGER PRIMARY KEY REFERENCES units(id),
    spec TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
