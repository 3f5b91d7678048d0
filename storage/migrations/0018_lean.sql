-- 0018: a leaner write path. Every message writes its dedupe mark, and a
-- rowid table with a composite primary key is two b-trees (the rows and the
-- key's index): WITHOUT ROWID keeps the row in the key's b-tree, so the mark
-- is one insert and one page. Memberships likewise. Rows are copied.
CREATE TABLE inbound_lean (
    platform   TEXT NOT NULL,
    chat_key   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    handled_at INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_key, message_id)
) WITHOUT ROWID;
INSERT INTO inbound_lean (platform, chat_key, message_id, handled_at)
    SELECT platform, chat_key, message_id, handled_at FROM inbound;
DROP TABLE inbound;
ALTER TABLE inbound_lean RENAME TO inbound;

CREATE TABLE members_lean (
    group_id   INTEGER NOT NULL REFERENCES groups(id),
    person_id  INTEGER NOT NULL REFERENCES people(id),
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    PRIMARY KEY (group_id, person_id)
) WITHOUT ROWID;
INSERT INTO members_lean (group_id, person_id, first_seen, last_seen)
    SELECT group_id, person_id, first_seen, last_seen FROM members;
DROP TABLE members;
ALTER TABLE members_lean RENAME TO members;
