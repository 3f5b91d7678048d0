-- 0022: new requests reach the trigram index at the end of their transaction
-- (storage.Tx.indexNewRequests), not from an insert trigger. FTS5 writes its
-- pending terms out as a new segment at every statement savepoint, and most
-- later statements of a message's transaction open one, so the trigger made a
-- segment per request and merging them took 72% of the writer's CPU half way
-- through a million-message soak.
DROP TRIGGER requests_fts_insert;
