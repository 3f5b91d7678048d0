-- 0023: the 三率's tickets resolved and rated in a window (storage/rates.go
-- CountDue, CountRated) from one covering range, kept by triggers in the
-- writing transaction: no DISTINCT over the window's events, no table row per
-- ticket.
--
-- One row per resolve, rate or callback entry of request_events, with what
-- the 三率 count of its ticket now. prev_at is the ticket's previous entry of
-- the same measure (ordered by time, then id): an entry with prev_at NULL or
-- before a window's start is the ticket's first in that window, so counting
-- those counts each ticket of the window once.
CREATE TABLE rate_entries (
    community_id  INTEGER NOT NULL,
    measure       TEXT NOT NULL,    -- 'resolve', or 'rate' (rate and callback entries)
    at            INTEGER NOT NULL, -- the entry's created_at
    event_id      INTEGER NOT NULL, -- request_events.id
    prev_at       INTEGER,
    request_id    INTEGER NOT NULL,
    department_id INTEGER NOT NULL, -- the ticket's; for a rating of a merged follower, its original's; 0: none
    building_id   INTEGER NOT NULL, -- 0: none
    urgent        INTEGER NOT NULL,
    solved        INTEGER NOT NULL, -- state resolved or closed
    rating        TEXT NOT NULL,    -- the stored rating
    commented     INTEGER NOT NULL, -- rating_note <> ''
    PRIMARY KEY (community_id, measure, at, event_id)
) WITHOUT ROWID;
CREATE INDEX rate_entries_request ON rate_entries(request_id);

-- One request's entries recounted: INSERT INTO rate_entries_recount VALUES
-- (request) (a view, so nothing is stored; the trigger does the work).
CREATE VIEW rate_entries_recount(request_id) AS SELECT NULL WHERE 0;
CREATE TRIGGER rate_entries_recount INSTEAD OF INSERT ON rate_entries_recount BEGIN
    DELETE FROM rate_entries WHERE request_id = NEW.request_id;
    INSERT INTO rate_entries (community_id, measure, at, event_id, prev_at, request_id, department_id, building_id,
        urgent, solved, rating, commented)
    SELECT r.community_id, m.measure, m.created_at, m.id,
        lag(m.created_at) OVER (PARTITION BY m.measure ORDER BY m.created_at, m.id),
        r.id,
        COALESCE(CASE WHEN m.measure = 'rate' AND r.duplicate_of IS NOT NULL THEN o.department_id ELSE r.department_id END, 0),
        COALESCE(r.building_id, 0), r.urgent, r.state IN ('resolved', 'closed'), r.rating, r.rating_note <> ''
    FROM (SELECT id, created_at, CASE action WHEN 'resolve' THEN 'resolve' ELSE 'rate' END AS measure
            FROM request_events WHERE request_id = NEW.request_id AND action IN ('resolve', 'rate', 'callback')) m
        JOIN requests r ON r.id = NEW.request_id
        LEFT JOIN requests o ON o.id = r.duplicate_of;
END;

-- Every write that can change a ticket's entries recounts that ticket in the
-- same statement: a resolve, rate or callback entry written, changed or
-- deleted; a counted column of a ticket with entries changed (its original's
-- department for a merged follower); a request stored over orphaned entries
-- or deleted. Other writes fire nothing, or a search that finds nothing.
CREATE TRIGGER rate_entries_event_insert AFTER INSERT ON request_events
WHEN NEW.action IN ('resolve', 'rate', 'callback') BEGIN
    INSERT INTO rate_entries_recount VALUES (NEW.request_id);
END;

CREATE TRIGGER rate_entries_event_delete AFTER DELETE ON request_events
WHEN OLD.action IN ('resolve', 'rate', 'callback') BEGIN
    INSERT INTO rate_entries_recount VALUES (OLD.request_id);
END;

CREATE TRIGGER rate_entries_event_update AFTER UPDATE OF id, request_id, action, created_at ON request_events
WHEN OLD.action IN ('resolve', 'rate', 'callback') OR NEW.action IN ('resolve', 'rate', 'callback') BEGIN
    INSERT INTO rate_entries_recount VALUES (OLD.request_id);
    INSERT INTO rate_entries_recount SELECT NEW.request_id WHERE NEW.request_id <> OLD.request_id;
END;

CREATE TRIGGER rate_entries_request_update
AFTER UPDATE OF id, community_id, state, department_id, building_id, urgent, rating, rating_note, duplicate_of ON requests
WHEN EXISTS (SELECT 1 FROM rate_entries WHERE request_id = OLD.id) BEGIN
    INSERT INTO rate_entries_recount VALUES (OLD.id);
    INSERT INTO rate_entries_recount SELECT NEW.id WHERE NEW.id <> OLD.id;
END;

CREATE TRIGGER rate_entries_followers AFTER UPDATE OF id, department_id ON requests
WHEN OLD.department_id IS NOT NEW.department_id OR NEW.id <> OLD.id BEGIN
    INSERT INTO rate_entries_recount SELECT id FROM requests WHERE duplicate_of IN (OLD.id, NEW.id);
END;

CREATE TRIGGER rate_entries_request_insert AFTER INSERT ON requests
WHEN EXISTS (SELECT 1 FROM request_events WHERE request_id = NEW.id) BEGIN
    INSERT INTO rate_entries_recount VALUES (NEW.id);
END;

CREATE TRIGGER rate_entries_request_delete AFTER DELETE ON requests BEGIN
    DELETE FROM rate_entries WHERE request_id = OLD.id;
    INSERT INTO rate_entries_recount SELECT id FROM requests WHERE duplicate_of = OLD.id;
END;

-- The backfill: the same rows for every entry already written.
INSERT INTO rate_entries (community_id, measure, at, event_id, prev_at, request_id, department_id, building_id,
    urgent, solved, rating, commented)
SELECT r.community_id, m.measure, m.created_at, m.id,
    lag(m.created_at) OVER (PARTITION BY m.request_id, m.measure ORDER BY m.created_at, m.id),
    r.id,
    COALESCE(CASE WHEN m.measure = 'rate' AND r.duplicate_of IS NOT NULL THEN o.department_id ELSE r.department_id END, 0),
    COALESCE(r.building_id, 0), r.urgent, r.state IN ('resolved', 'closed'), r.rating, r.rating_note <> ''
FROM (SELECT id, request_id, created_at, CASE action WHEN 'resolve' THEN 'resolve' ELSE 'rate' END AS measure
        FROM request_events WHERE action IN ('resolve', 'rate', 'callback')) m
    JOIN requests r ON r.id = m.request_id
    LEFT JOIN requests o ON o.id = r.duplicate_of;
