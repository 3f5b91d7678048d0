-- Projects (#项目, J numbers): what the community builds from adopted
-- suggestions, needs and poll winners, followed by the people behind them
-- until it is done and rated (评议).
CREATE TABLE projects (
    id              INTEGER PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES communities(id),
    creator_id      INTEGER NOT NULL REFERENCES people(id),
    title           TEXT NOT NULL,
    department_id   INTEGER REFERENCES departments(id), -- the owner department (may post #进展)
    budget          TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    due_at          INTEGER,                            -- expected completion
    progress        INTEGER NOT NULL DEFAULT 0,         -- percent
    per_household   INTEGER NOT NULL DEFAULT 0,         -- 评议: one rating per household
    state           TEXT NOT NULL DEFAULT 'building',   -- building, reviewing, done
    created_at      INTEGER NOT NULL,
    completed_at    INTEGER,
    review_due_at   INTEGER,                            -- 评议 deadline
    review_closed_at INTEGER
);
CREATE INDEX projects_community ON projects(community_id, state);

-- The groups a project reports to; their members may rate it.
CREATE TABLE project_groups (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    group_id   INTEGER NOT NULL REFERENCES groups(id),
    PRIMARY KEY (project_id, group_id)
);

CREATE TABLE project_milestones (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    idx        INTEGER NOT NULL,   -- 1-based, as people type it (里程碑2)
    title      TEXT NOT NULL,
    due_at     INTEGER,
    done_at    INTEGER,
    PRIMARY KEY (project_id, idx)
);

-- What a project came from: requests (suggestions, needs) and polls.
CREATE TABLE project_links (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    kind       TEXT NOT NULL,      -- request, poll
    ref_id     INTEGER NOT NULL,
    PRIMARY KEY (project_id, kind, ref_id)
);

-- Who follows a project. reason says why (creator, reporter, supporter,
-- voter, self) and never what a voter chose. left marks #取消关注: a later
-- link does not bring them back.
CREATE TABLE project_followers (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    person_id  INTEGER NOT NULL REFERENCES people(id),
    reason     TEXT NOT NULL,
    left       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, person_id)
);
CREATE INDEX project_followers_person ON project_followers(person_id);

CREATE TABLE project_updates (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    author_id  INTEGER NOT NULL REFERENCES people(id),
    progress   INTEGER NOT NULL,
    milestone  INTEGER NOT NULL DEFAULT 0,  -- the milestone this update reached (0: none)
    text       TEXT NOT NULL DEFAULT '',
    blob_id    INTEGER REFERENCES blobs(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX project_updates_project ON project_updates(project_id, id);

-- 评议: one rating per voter (a person, "p:<id>", or a household, "h:<room>").
CREATE TABLE project_reviews (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    voter_key  TEXT NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    rating     TEXT NOT NULL,      -- satisfied, basic, unsatisfied
    note       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, voter_key)
);
