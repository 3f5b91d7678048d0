-- 0024: the trigram index stores folded text (storage.Fold: full-width letters
-- and digits as ASCII, Unicode lower case), as the searches fold what they
-- look for. The old entries are emptied here; Open indexes one batch and the
-- rest in the background, a batch a transaction, and until then the searches
-- read the newest requests directly (storage/trigram.go).
INSERT INTO requests_fts(requests_fts) VALUES ('delete-all');

-- The duplicate check reads the open repairs and complaints at one place,
-- newest first: a few rows whatever the size of the history, where ranking the
-- trigram index's matches grew with every report ever made.
CREATE INDEX requests_open_tickets ON requests(community_id, building_id)
    WHERE kind IN ('repair', 'complaint') AND state IN ('submitted', 'dispatched', 'accepted', 'reopened');
