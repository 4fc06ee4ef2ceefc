-- 018_dossier_my_queue: an official's open dossiers by due date.
--
-- The specialist's work page (GET /api/v1/dossiers?mine=1&open=1) lists
-- the open dossiers assigned to him, most urgent first. Through
-- dossiers_assignee it reads every dossier he was ever assigned and keeps
-- the open ones: about 90 ms for a specialist with 83,000 handled
-- dossiers in a 10-million database (measured), and it grows with his
-- years of work. Here only the open ones are indexed (a few dozen per
-- official): under 1 ms. The states are the filter's own text in
-- q_dossier.c (as for dossiers_open_due, SQLite uses a partial index
-- only when the query repeats its condition; the query's
-- "assignee_id = ?" implies the last term). Dossiers not yet assigned
-- (submitted, received) stay out of it, so a write touches it only from
-- the assignment to the end of the processing.
CREATE INDEX dossiers_assignee_open ON dossiers(assignee_id, due_at)
    WHERE state <> 'refused' AND state <> 'stopped' AND state <> 'returned'
      AND state <> 'done' AND state <> 'rejected'
      AND assignee_id IS NOT NULL;
