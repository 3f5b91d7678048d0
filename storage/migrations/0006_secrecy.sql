-- Secrecy and verified households.
-- An outbox row with a scrub_key carries something secret (a receipt of an
-- anonymous ballot): its text is blanked once delivered, and every row of the
-- key is deleted when the poll closes.
ALTER TABLE outbox ADD COLUMN scrub_key TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_scrub ON outbox(scrub_key) WHERE scrub_key <> '';

-- A household claim waiting for a captain's or staff's confirmation: a room
-- someone else holds, or a second room for one person. One per person.
CREATE TABLE room_claims (
    person_id  INTEGER PRIMARY KEY REFERENCES people(id),
    room       TEXT NOT NULL,             -- normalised: 3栋1单元201
    building   TEXT NOT NULL DEFAULT '',  -- building key, for the captain who confirms
    created_at INTEGER NOT NULL
);
