-- 0002: indexes for the digests, which read windows of history by time, and
-- the few live requests among many finished ones. The live-state list must be
-- written exactly as storage/digest.go's liveStates for SQLite to use the index.
CREATE INDEX requests_created ON requests(community_id, created_at);
CREATE INDEX requests_rated ON requests(community_id, rated_at, rating) WHERE rated_at IS NOT NULL;
-- Covering, so counting live requests reads no table rows.
CREATE INDEX requests_live_state ON requests(community_id, state, kind)
    WHERE state IN ('submitted', 'dispatched', 'accepted', 'reopened', 'resolved', 'adopted', 'deferred');
CREATE INDEX requests_live_due ON requests(community_id, stage_due_at, state, kind)
    WHERE state IN ('submitted', 'dispatched', 'accepted', 'reopened', 'resolved', 'adopted', 'deferred');
CREATE INDEX request_events_time ON request_events(created_at, action);
CREATE INDEX polls_closed ON polls(community_id, closed_at) WHERE closed_at IS NOT NULL;
