-- 0019: the 日报's month of ratings and resolved tickets from indexes alone.
-- Every window read by action (resolve, dispatch, rate…) needs each event's
-- request: with request_id in request_events_action it is read from the index,
-- not from an event row per event (10,000 a month in the benchmark).
DROP INDEX request_events_action;
CREATE INDEX request_events_action ON request_events(action, created_at, request_id);
-- A request's ratings, and whether it has any, without reading its other
-- events (storage/ratings.go RatingEventsIn). action is a column as well as
-- the condition: SQLite checks the join's action term against the index.
CREATE INDEX request_events_rating ON request_events(request_id, created_at, action, note)
    WHERE action IN ('rate', 'callback');
-- The window's stored ratings with what the digests show of them (kind,
-- comment): no table row per rated request.
DROP INDEX requests_rated;
CREATE INDEX requests_rated ON requests(community_id, rated_at, rating, kind, rating_note) WHERE rated_at IS NOT NULL;
