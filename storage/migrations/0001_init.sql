-- 0001: the community model, people and roles, inbound dedupe, the outbox,
-- conversation state and requests. Times are Unix seconds (UTC).

CREATE TABLE communities (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE,      -- slug from the config
    name     TEXT NOT NULL,
    timezone TEXT NOT NULL,
    lang     TEXT NOT NULL
);

CREATE TABLE grids (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    UNIQUE (community_id, key)
);

CREATE TABLE buildings (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    grid_id      INTEGER REFERENCES grids(id),
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    UNIQUE (community_id, key)
);

CREATE TABLE departments (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    aliases      TEXT NOT NULL DEFAULT '', -- comma-separated other names
    UNIQUE (community_id, key)
);

-- A group is one chat on one platform.
CREATE TABLE groups (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    platform     TEXT NOT NULL,
    chat_key     TEXT NOT NULL,
    kind         TEXT NOT NULL,            -- building, grid, compound, staff, department
    building_id  INTEGER REFERENCES buildings(id),
    grid_id      INTEGER REFERENCES grids(id),
    department_id INTEGER REFERENCES departments(id),
    mode         TEXT NOT NULL DEFAULT 'confirm', -- free-text intake: off, confirm, auto
    lang         TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (community_id, key),
    UNIQUE (platform, chat_key)
);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    key          TEXT,                     -- config key for configured people, NULL for residents seen in chat
    platform     TEXT NOT NULL,
    user_key     TEXT NOT NULL,            -- the platform's stable identity
    name         TEXT NOT NULL,
    room         TEXT NOT NULL DEFAULT '', -- household, e.g. 3栋2单元501
    lang         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (community_id, platform, user_key)
);
CREATE UNIQUE INDEX people_config_key ON people(community_id, key) WHERE key IS NOT NULL;

-- role: resident, captain (scope: building key), grid_worker (grid key), staff, admin,
-- department (department key). Config-sourced roles are replaced at each sync.
CREATE TABLE roles (
    person_id INTEGER NOT NULL REFERENCES people(id),
    role      TEXT NOT NULL,
    scope     TEXT NOT NULL DEFAULT '',
    source    TEXT NOT NULL DEFAULT 'config',
    PRIMARY KEY (person_id, role, scope)
);

-- Who has been seen in which group: the electorate of a poll, the audience of a notice.
CREATE TABLE members (
    group_id   INTEGER NOT NULL REFERENCES groups(id),
    person_id  INTEGER NOT NULL REFERENCES people(id),
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    PRIMARY KEY (group_id, person_id)
);

-- Inbound dedupe: a platform message is handled once.
CREATE TABLE inbound (
    platform   TEXT NOT NULL,
    chat_key   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    handled_at INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_key, message_id)
);

-- Chats that spoke to the bot without being configured: staff are told once.
CREATE TABLE unknown_chats (
    platform   TEXT NOT NULL,
    chat_key   TEXT NOT NULL,
    title      TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_key)
);

-- The outbox: every message the bot sends, written in the transaction that decided to send it.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER REFERENCES communities(id),
    platform      TEXT NOT NULL,
    chat_key      TEXT NOT NULL DEFAULT '', -- empty: a direct message to user_key
    user_key      TEXT NOT NULL DEFAULT '',
    user_name     TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL,
    buttons       TEXT NOT NULL DEFAULT '', -- JSON [][]{text,data}
    ref           TEXT NOT NULL DEFAULT '', -- a name later messages can edit
    edit_ref      TEXT NOT NULL DEFAULT '', -- edit the message sent under this ref
    callback_id   TEXT NOT NULL DEFAULT '',
    dedupe_key    TEXT UNIQUE,              -- scheduled notices: one per job and period
    created_at    INTEGER NOT NULL,
    not_before    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'pending', -- pending, sent, failed
    sent_at       INTEGER,
    platform_msg_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(platform, status, id);
CREATE INDEX outbox_ref ON outbox(platform, ref) WHERE ref <> '';

-- A conversation waiting for the same person's next message in the same chat
-- (a confirmation, a missing detail). Survives restarts; expires.
CREATE TABLE conversations (
    community_id INTEGER NOT NULL REFERENCES communities(id),
    group_id     INTEGER NOT NULL DEFAULT 0,  -- 0: a private chat
    person_id    INTEGER NOT NULL REFERENCES people(id),
    kind         TEXT NOT NULL,
    data         TEXT NOT NULL DEFAULT '',
    expires_at   INTEGER NOT NULL,
    PRIMARY KEY (group_id, person_id)
);

-- Requests from residents: suggestions, needs, repairs and complaints.
-- Tickets (repairs, complaints) move submitted → dispatched → accepted → resolved → closed
-- (rejected, cancelled, withdrawn end them early; an unsatisfied rating reopens one).
-- Suggestions and needs are triaged: submitted → adopted | done | deferred | declined.
CREATE TABLE requests (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id),
    kind          TEXT NOT NULL,            -- suggestion, need, repair, complaint
    category      TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL,
    location      TEXT NOT NULL DEFAULT '',
    building_id   INTEGER REFERENCES buildings(id),
    group_id      INTEGER REFERENCES groups(id),   -- where it was reported; replies go there
    person_id     INTEGER NOT NULL REFERENCES people(id), -- the reporter
    state         TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id), -- who holds it after dispatch
    assignee_id   INTEGER REFERENCES people(id),      -- who accepted it
    duplicate_of  INTEGER REFERENCES requests(id),
    answer        TEXT NOT NULL DEFAULT '', -- resolution note, staff reply, or reason for closing
    rating        TEXT NOT NULL DEFAULT '', -- satisfied, basic, unsatisfied
    rating_note   TEXT NOT NULL DEFAULT '',
    rated_at      INTEGER,
    resolved_at   INTEGER,
    closed_at     INTEGER,
    stage_due_at  INTEGER,                  -- when the current stage becomes overdue
    escalated     INTEGER NOT NULL DEFAULT 0, -- escalation level reached
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX requests_community ON requests(community_id, kind, created_at);
CREATE INDEX requests_state ON requests(community_id, state);

-- The audit trail: every change of a request, with who and why. Never deleted.
CREATE TABLE request_events (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    actor_id    INTEGER REFERENCES people(id), -- NULL: the system (scheduler)
    action      TEXT NOT NULL,                 -- submit, dispatch, accept, resolve, rate, add, reject, …
    from_state  TEXT NOT NULL DEFAULT '',
    to_state    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX request_events_request ON request_events(request_id, id);

-- Polls: one poll may be announced in several groups and is tallied together.
CREATE TABLE polls (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id),
    creator_id    INTEGER NOT NULL REFERENCES people(id),
    group_id      INTEGER REFERENCES groups(id), -- where it was created
    title         TEXT NOT NULL,
    max_choices   INTEGER NOT NULL DEFAULT 1,    -- 1: single choice
    anonymous     INTEGER NOT NULL DEFAULT 0,
    per_household INTEGER NOT NULL DEFAULT 0,
    hide_results  INTEGER NOT NULL DEFAULT 0,    -- results only after the close
    deadline      INTEGER,                       -- NULL: closed by hand
    state         TEXT NOT NULL DEFAULT 'open',  -- open, closed
    created_at    INTEGER NOT NULL,
    closed_at     INTEGER
);
CREATE INDEX polls_open ON polls(state, deadline);

CREATE TABLE poll_options (
    poll_id  INTEGER NOT NULL REFERENCES polls(id),
    idx      INTEGER NOT NULL,                   -- 1-based, as people type it
    text     TEXT NOT NULL,
    PRIMARY KEY (poll_id, idx)
);

-- The groups a poll is announced in; their members are its electorate.
CREATE TABLE poll_groups (
    poll_id  INTEGER NOT NULL REFERENCES polls(id),
    group_id INTEGER NOT NULL REFERENCES groups(id),
    PRIMARY KEY (poll_id, group_id)
);

-- Who voted (turnout, one vote per person or household). voter_key is the
-- person id, or the household for one-vote-per-household polls.
CREATE TABLE poll_voters (
    poll_id    INTEGER NOT NULL REFERENCES polls(id),
    voter_key  TEXT NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    group_id   INTEGER REFERENCES groups(id),
    voted_at   INTEGER NOT NULL,
    PRIMARY KEY (poll_id, voter_key)
);

-- What was chosen. For named polls ballot_key is the voter_key; for anonymous
-- polls it is a keyed hash no command can turn back into a voter.
CREATE TABLE ballots (
    poll_id    INTEGER NOT NULL REFERENCES polls(id),
    ballot_key TEXT NOT NULL,
    choices    TEXT NOT NULL,                    -- option indexes, comma-separated
    cast_at    INTEGER NOT NULL,
    PRIMARY KEY (poll_id, ballot_key)
);

-- Small named values that must survive a restart: an adapter's confirmed update
-- offset, a job's last run. Keys are namespaced by their owner ("telegram.offset").
CREATE TABLE kv (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
