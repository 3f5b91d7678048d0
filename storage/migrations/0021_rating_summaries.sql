-- 0021: each request's ratings summed up, kept by triggers in the writing
-- transaction, so the 日报's month of satisfaction reads one short index row
-- per rated request instead of its ratings (storage/satisfaction.go).
--
-- request_rating_events is the one list of a request's ratings (as
-- storage.RatingEvents reads them): its audit entries (rate, callback; note
-- "RATING COMMENT"), or, for a request rated without any (an older Qiao, an
-- import), its stored rating. ord orders ratings given in the same second.
CREATE VIEW request_rating_events AS
    SELECT e.request_id, r.community_id, e.created_at AS at, e.id AS ord,
        substr(COALESCE(e.note, ''), 1, instr(COALESCE(e.note, '') || ' ', ' ') - 1) AS rating
    FROM request_events e JOIN requests r ON r.id = e.request_id
    WHERE e.action IN ('rate', 'callback')
    UNION ALL
    SELECT r.id, r.community_id, r.rated_at, 0, substr(r.rating, 1, instr(r.rating || ' ', ' ') - 1)
    FROM requests r
    WHERE r.rating <> '' AND r.rated_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM request_events x
            WHERE x.request_id = r.id AND x.action IN ('rate', 'callback'));

-- A rated request's first and latest rating (ordered by time, then ord) and
-- how many it was given. No row: never rated.
CREATE TABLE request_ratings (
    request_id   INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL,
    first_at     INTEGER NOT NULL,
    first_rating TEXT NOT NULL,
    last_at      INTEGER NOT NULL,
    last_rating  TEXT NOT NULL,
    given        INTEGER NOT NULL
);
-- A window's summaries by their latest rating, every column in the index.
CREATE INDEX request_ratings_window ON request_ratings(community_id, last_at, first_at, first_rating, last_rating, given);

INSERT INTO request_ratings (request_id, community_id, first_at, first_rating, last_at, last_rating, given)
SELECT request_id, community_id, at, rating, last_at, last_rating, n FROM (
    SELECT request_id, community_id, at, rating,
        row_number() OVER w AS i, count(*) OVER (PARTITION BY request_id) AS n,
        last_value(at) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_at,
        last_value(rating) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_rating
    FROM request_rating_events
    WINDOW w AS (PARTITION BY request_id ORDER BY at, ord))
WHERE i = 1;

-- One request's summary recounted: INSERT INTO request_ratings_recount
-- VALUES (request) (a view, so nothing is stored; the trigger does the work).
CREATE VIEW request_ratings_recount(request_id) AS SELECT NULL WHERE 0;
CREATE TRIGGER request_ratings_recount INSTEAD OF INSERT ON request_ratings_recount BEGIN
    DELETE FROM request_ratings WHERE request_id = NEW.request_id;
    INSERT INTO request_ratings (request_id, community_id, first_at, first_rating, last_at, last_rating, given)
    SELECT f.request_id, f.community_id, f.at, f.rating, l.at, l.rating, c.n
    FROM (SELECT * FROM request_rating_events WHERE request_id = NEW.request_id ORDER BY at, ord LIMIT 1) f,
        (SELECT * FROM request_rating_events WHERE request_id = NEW.request_id ORDER BY at DESC, ord DESC LIMIT 1) l,
        (SELECT COUNT(*) AS n FROM request_rating_events WHERE request_id = NEW.request_id) c;
END;

-- Every write that can change a request's ratings recounts that request in
-- the same statement: a rating or call-back entry written, changed or
-- deleted, a request stored with a rating, a stored rating changed, a
-- request deleted. Other writes fire nothing.
CREATE TRIGGER request_ratings_event_insert AFTER INSERT ON request_events
WHEN NEW.action IN ('rate', 'callback') BEGIN
    INSERT INTO request_ratings_recount VALUES (NEW.request_id);
END;

CREATE TRIGGER request_ratings_event_delete AFTER DELETE ON request_events
WHEN OLD.action IN ('rate', 'callback') BEGIN
    INSERT INTO request_ratings_recount VALUES (OLD.request_id);
END;

CREATE TRIGGER request_ratings_event_update AFTER UPDATE OF request_id, action, note, created_at ON request_events
WHEN OLD.action IN ('rate', 'callback') OR NEW.action IN ('rate', 'callback') BEGIN
    INSERT INTO request_ratings_recount VALUES (OLD.request_id);
    INSERT INTO request_ratings_recount SELECT NEW.request_id WHERE NEW.request_id <> OLD.request_id;
END;

CREATE TRIGGER request_ratings_request_insert AFTER INSERT ON requests
WHEN NEW.rating <> '' AND NEW.rated_at IS NOT NULL BEGIN
    INSERT INTO request_ratings_recount VALUES (NEW.id);
END;

CREATE TRIGGER request_ratings_request_update AFTER UPDATE OF rating, rated_at, community_id ON requests
WHEN OLD.rating IS NOT NEW.rating OR OLD.rated_at IS NOT NEW.rated_at OR OLD.community_id IS NOT NEW.community_id BEGIN
    INSERT INTO request_ratings_recount VALUES (NEW.id);
END;

CREATE TRIGGER request_ratings_request_delete AFTER DELETE ON requests BEGIN
    DELETE FROM request_ratings WHERE request_id = OLD.id;
END;
