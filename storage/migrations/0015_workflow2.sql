-- 0010: the followers of a merged ticket are found by their original (reporter
-- counts in the digest, rating reminders, the 回访 list).
CREATE INDEX requests_duplicate_of ON requests(duplicate_of) WHERE duplicate_of IS NOT NULL;

-- Photos taken on a visit or patrol (#走访 … with a picture), kept with it; on
-- 转报修 they are linked to the ticket too (request_blobs).
CREATE TABLE visit_blobs (
    visit_id INTEGER NOT NULL REFERENCES visits(id),
    blob_id  INTEGER NOT NULL REFERENCES blobs(id),
    PRIMARY KEY (visit_id, blob_id)
);
CREATE INDEX visit_blobs_blob ON visit_blobs(blob_id);
