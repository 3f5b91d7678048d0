-- 0002: indexes for the digests, which read windows of history by time.
CREATE INDEX requests_created ON requests(community_id, created_at);
CREATE INDEX requests_rated ON requests(community_id, rated_at) WHERE rated_at IS NOT NULL;
CREATE INDEX requests_due ON requests(community_id, stage_due_at) WHERE stage_due_at IS NOT NULL;
CREATE INDEX request_events_time ON request_events(created_at, action);
CREATE INDEX polls_closed ON polls(community_id, closed_at) WHERE closed_at IS NOT NULL;
