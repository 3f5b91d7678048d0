-- 0005: the service workflow (docs/workflow.md): tickets handed back by a
-- department (退单), extensions (延期) and ratings recorded by staff (回访).

-- The department on whose behalf an event was taken (退单, 延期), so that
-- hand-backs count per department after the ticket has left it.
ALTER TABLE request_events ADD COLUMN department_id INTEGER REFERENCES departments(id);
CREATE INDEX request_events_action ON request_events(action, created_at);

-- NULL: the reporter rated; otherwise the staff member who recorded the
-- resident's answer on a call-back (回访) on their behalf.
ALTER TABLE requests ADD COLUMN rated_by INTEGER REFERENCES people(id);

-- Extensions asked for by the department holding a ticket; staff decide.
CREATE TABLE request_extensions (
    id            INTEGER PRIMARY KEY,
    request_id    INTEGER NOT NULL REFERENCES requests(id),
    department_id INTEGER REFERENCES departments(id),
    asked_by      INTEGER NOT NULL REFERENCES people(id),
    length        TEXT NOT NULL,                   -- as typed and parsed: 3天, 2工作日
    reason        TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending', -- pending, approved, refused
    decided_by    INTEGER REFERENCES people(id),
    decision_note TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    decided_at    INTEGER
);
CREATE UNIQUE INDEX request_extensions_pending ON request_extensions(request_id) WHERE state = 'pending';

-- Duplicates at intake: a trigram index of what residents reported, so that a
-- new report can be matched to an open one nearby without a Chinese word
-- segmenter. Report text never changes and rows are never deleted, so an
-- insert trigger keeps it complete.
CREATE VIRTUAL TABLE requests_fts USING fts5(text, content='requests', content_rowid='id', tokenize='trigram');
CREATE TRIGGER requests_fts_insert AFTER INSERT ON requests BEGIN
    INSERT INTO requests_fts(rowid, text) VALUES (new.id, new.text);
END;
INSERT INTO requests_fts(rowid, text) SELECT id, text FROM requests;

-- Grid workers' household visits (走访) and patrols (巡查); a problem found may
-- become a ticket at once (转报修).
CREATE TABLE visits (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    kind         TEXT NOT NULL,                    -- visit (a household), patrol (a place)
    person_id    INTEGER NOT NULL REFERENCES people(id), -- the grid worker (or staff)
    building_id  INTEGER REFERENCES buildings(id),
    place        TEXT NOT NULL,                    -- 3栋2单元501, 农贸大院
    note         TEXT NOT NULL,
    request_id   INTEGER REFERENCES requests(id),  -- the ticket it became
    created_at   INTEGER NOT NULL
);
CREATE INDEX visits_community ON visits(community_id, created_at);
