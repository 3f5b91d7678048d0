-- Pictures and files. Bytes live in the database so a backup carries them;
-- incoming photos are stored already downscaled and stripped of metadata.
CREATE TABLE blobs (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER REFERENCES communities(id),
    kind         TEXT NOT NULL CHECK (kind IN ('image', 'file')),
    name         TEXT NOT NULL DEFAULT '',
    mime         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    data         BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);

-- An outgoing message may carry one picture or file.
ALTER TABLE outbox ADD COLUMN blob_id INTEGER REFERENCES blobs(id);

-- The pictures of a request: sent with the report, added later, or with the resolution.
CREATE TABLE request_blobs (
    request_id INTEGER NOT NULL REFERENCES requests(id),
    blob_id    INTEGER NOT NULL REFERENCES blobs(id),
    stage      TEXT NOT NULL CHECK (stage IN ('report', 'supplement', 'resolve')),
    person_id  INTEGER REFERENCES people(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (request_id, blob_id)
);
CREATE INDEX request_blobs_blob ON request_blobs(blob_id);
