-- 016_dossier_queue: indexes of the dossier list (GET /api/v1/dossiers).
--
-- An official's scope is a union of three path ranges: the handling unit
-- (dossiers_unit_due), the receiving unit (dossiers_recv_unit) and the
-- consulted unit, indexed here only where there is one (most dossiers are
-- never sent for consultation).
CREATE INDEX dossiers_consult ON dossiers(consult_unit_path, due_at)
    WHERE consult_unit_path IS NOT NULL;
-- The list's order (due date, none last, then id). When more than
-- MC_Q_DOSSIER_LIST_CAP rows match, the list walks this index and stops
-- once the page is full instead of sorting every match.
CREATE INDEX dossiers_queue_order ON dossiers((due_at IS NULL), due_at, id);
-- Open dossiers by due date: the "overdue" filter. The WHERE is the
-- filter's own text in q_dossier.c (SQLite uses a partial index only when
-- the query repeats its condition). The states are compared one by one:
-- a NOT IN list would be built in a temporary table each time a write
-- tests a row against this WHERE.
CREATE INDEX dossiers_open_due ON dossiers(due_at)
    WHERE state <> 'refused' AND state <> 'stopped' AND state <> 'returned'
      AND state <> 'done' AND state <> 'rejected';
