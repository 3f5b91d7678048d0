-- 0010: activities with sign-ups, a waitlist and check-in; meetings (an
-- activity with an agenda) and the suggestions raised there; notices that
-- residents must confirm.

-- An activity is numbered per community (A1, A2, …): people type the number.
CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    number       INTEGER NOT NULL,
    creator_id   INTEGER NOT NULL REFERENCES people(id),
    group_id     INTEGER REFERENCES groups(id),   -- where it was created (NULL: a private chat)
    kind         TEXT NOT NULL DEFAULT '',        -- '': an activity; 板凳会, 夜谈会, 协商议事会: a meeting
    title        TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    agenda       TEXT NOT NULL DEFAULT '',
    starts_at    INTEGER NOT NULL,
    deadline     INTEGER NOT NULL,                -- sign-ups close
    capacity     INTEGER NOT NULL DEFAULT 0,      -- people (人数); 0: no limit
    ask_contact  INTEGER NOT NULL DEFAULT 0,      -- collect a phone number with each sign-up
    checkin_code TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'open',    -- open, cancelled
    minutes      TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (community_id, number)
);
CREATE INDEX activities_open ON activities(state, starts_at);

CREATE TABLE activity_groups (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    group_id    INTEGER NOT NULL REFERENCES groups(id),
    PRIMARY KEY (activity_id, group_id)
);

-- One row per person and activity: a seat (in), a place on the waitlist
-- (waiting, in seq order) or a walk-in who checked in without signing up.
-- Cancelling deletes the row; the promotion it causes is in the same transaction.
CREATE TABLE activity_signups (
    activity_id   INTEGER NOT NULL REFERENCES activities(id),
    person_id     INTEGER NOT NULL REFERENCES people(id),
    party         INTEGER NOT NULL,           -- 人数
    contact       TEXT NOT NULL DEFAULT '',   -- shown masked except to the organiser and staff
    status        TEXT NOT NULL,              -- in, waiting, walkin
    seq           INTEGER NOT NULL,           -- sign-up order (the waitlist's order)
    signed_at     INTEGER NOT NULL,
    checked_in_at INTEGER,
    PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX activity_signups_order ON activity_signups(activity_id, status, seq);

-- Suggestions raised at a meeting: the request keeps its meeting as its source.
CREATE TABLE activity_suggestions (
    request_id  INTEGER PRIMARY KEY REFERENCES requests(id),
    activity_id INTEGER NOT NULL REFERENCES activities(id)
);
CREATE INDEX activity_suggestions_activity ON activity_suggestions(activity_id);

-- Notices (N1, N2, … per community); with needs_ack residents confirm them.
CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    number       INTEGER NOT NULL,
    creator_id   INTEGER NOT NULL REFERENCES people(id),
    text         TEXT NOT NULL,
    needs_ack    INTEGER NOT NULL DEFAULT 0,
    closes_at    INTEGER NOT NULL,            -- confirmations are read as such until then
    created_at   INTEGER NOT NULL,
    UNIQUE (community_id, number)
);
CREATE INDEX notices_open ON notices(closes_at);

CREATE TABLE notice_groups (
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    group_id  INTEGER NOT NULL REFERENCES groups(id),
    PRIMARY KEY (notice_id, group_id)
);

CREATE TABLE notice_acks (
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    group_id  INTEGER REFERENCES groups(id),
    at        INTEGER NOT NULL,
    PRIMARY KEY (notice_id, person_id)
);
