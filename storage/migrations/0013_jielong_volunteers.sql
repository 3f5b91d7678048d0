-- 接龙 read from plain chat (handlers/jielong): one canonical list per group,
-- title and day of its first post; every re-post is merged into it.
CREATE TABLE jielong (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    group_id     INTEGER NOT NULL REFERENCES groups(id),
    title        TEXT NOT NULL,
    day          TEXT NOT NULL,             -- yyyy-mm-dd of the first post, community zone
    description  TEXT NOT NULL DEFAULT '',
    example      TEXT NOT NULL DEFAULT '',
    deadline     INTEGER,                   -- unix seconds; NULL: open until #结束接龙
    closed_at    INTEGER,
    creator_id   INTEGER REFERENCES people(id),
    created_at   INTEGER NOT NULL,
    posts        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (group_id, title, day)
);
CREATE INDEX jielong_open ON jielong(closed_at, deadline);

CREATE TABLE jielong_lines (
    id          INTEGER PRIMARY KEY,
    jielong_id  INTEGER NOT NULL REFERENCES jielong(id),
    pos         INTEGER NOT NULL,           -- order of first appearance
    key         TEXT NOT NULL,              -- the folded name: identity across re-posts
    name        TEXT NOT NULL,
    text        TEXT NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1,
    note        TEXT NOT NULL DEFAULT '',
    author_id   INTEGER REFERENCES people(id),
    added_at    INTEGER NOT NULL,
    edited_at   INTEGER,
    removed_at  INTEGER,                    -- withdrawn by its author
    lost_at     INTEGER                     -- left out by someone else's re-post (told once)
);
CREATE INDEX jielong_lines_list ON jielong_lines(jielong_id, pos);

-- Volunteer teams (handlers/volunteers): a team may have a parent (sub-teams).
CREATE TABLE vol_teams (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    key          TEXT NOT NULL,             -- config key, or the name for teams made by command
    name         TEXT NOT NULL,
    parent_id    INTEGER REFERENCES vol_teams(id),
    created_at   INTEGER NOT NULL,
    UNIQUE (community_id, key)
);

-- status: pending (asked to join), member, leader (approves joins, edits rosters).
CREATE TABLE vol_members (
    team_id    INTEGER NOT NULL REFERENCES vol_teams(id),
    person_id  INTEGER NOT NULL REFERENCES people(id),
    status     TEXT NOT NULL,
    skills     TEXT NOT NULL DEFAULT '',
    days       TEXT NOT NULL DEFAULT '',    -- available weekdays, e.g. "1,3,5" (Monday = 1)
    joined_at  INTEGER NOT NULL,
    PRIMARY KEY (team_id, person_id)
);

-- A duty roster: who of a team is on duty when. days: weekdays "1,2,3,4,5,6,7";
-- per_shift 0 puts every member on each duty, n > 0 rotates n at a time.
CREATE TABLE vol_rosters (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    team_id      INTEGER NOT NULL REFERENCES vol_teams(id),
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    days         TEXT NOT NULL,
    start_min    INTEGER NOT NULL,          -- minutes after midnight, community zone
    end_min      INTEGER NOT NULL,
    per_shift    INTEGER NOT NULL DEFAULT 0,
    epoch        TEXT NOT NULL,             -- yyyy-mm-dd the rotation counts from
    UNIQUE (community_id, key)
);

-- One person's duty on one day: the swap that put them there, their sign-in and out.
CREATE TABLE vol_shifts (
    id          INTEGER PRIMARY KEY,
    roster_id   INTEGER NOT NULL REFERENCES vol_rosters(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    day         TEXT NOT NULL,
    checkin_at  INTEGER,
    checkout_at INTEGER,
    minutes     INTEGER NOT NULL DEFAULT 0,
    place       TEXT NOT NULL DEFAULT '',   -- a location sent with the sign-in, if any
    UNIQUE (roster_id, person_id, day)
);

-- A swap: from_id gives their duty on day to to_id, once to_id agrees.
CREATE TABLE vol_swaps (
    id          INTEGER PRIMARY KEY,
    roster_id   INTEGER NOT NULL REFERENCES vol_rosters(id),
    day         TEXT NOT NULL,
    from_id     INTEGER NOT NULL REFERENCES people(id),
    to_id       INTEGER NOT NULL REFERENCES people(id),
    status      TEXT NOT NULL DEFAULT 'asked', -- asked, agreed, refused
    created_at  INTEGER NOT NULL
);
CREATE INDEX vol_swaps_day ON vol_swaps(roster_id, day);

-- A message that is pointless late (a duty reminder for 08:30 at 15:00) is
-- never sent after expires_at: it is marked failed ("expired") instead.
ALTER TABLE outbox ADD COLUMN expires_at INTEGER;
