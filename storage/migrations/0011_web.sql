-- 0010: the staff web page. One-time login links (single use is enforced here:
-- a link is redeemed by the one UPDATE that finds used_at still NULL) and
-- sessions, stored by the SHA-256 of their random id so a copy of the database
-- cannot be replayed as a cookie.
CREATE TABLE web_links (
    nonce      TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE TABLE web_sessions (
    id_hash    TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);
