-- 0004: votes waiting for their coalesced acknowledgement. A vote in a group
-- is not answered one by one (a hundred votes would be a hundred messages);
-- the polls job names these people once per interval, then deletes the rows.
-- No choice is kept here: only who did what kind of thing, and where.
CREATE TABLE poll_acks (
    poll_id   INTEGER NOT NULL REFERENCES polls(id),
    group_id  INTEGER NOT NULL REFERENCES groups(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    action    TEXT NOT NULL,   -- vote, change, withdraw
    at        INTEGER NOT NULL,
    PRIMARY KEY (poll_id, group_id, person_id)
);
CREATE INDEX poll_acks_at ON poll_acks(at);
