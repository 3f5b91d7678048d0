-- Scored evaluations (十佳楼栋, 最美楼栋长) are polls of kind 'scored': their
-- options are the candidates, scored per criterion on a scale by residents
-- and/or a named panel (评委). max_choices is how many are chosen (top N).
ALTER TABLE polls ADD COLUMN kind TEXT NOT NULL DEFAULT 'choice';   -- choice, scored
ALTER TABLE polls ADD COLUMN scale_min INTEGER NOT NULL DEFAULT 0;
ALTER TABLE polls ADD COLUMN scale_max INTEGER NOT NULL DEFAULT 0;
ALTER TABLE polls ADD COLUMN panel_weight INTEGER NOT NULL DEFAULT 0; -- percent of the final score from the panel

-- A candidate's self-presentation (optional).
ALTER TABLE poll_options ADD COLUMN intro TEXT NOT NULL DEFAULT '';

-- The criteria of a scored evaluation, in the order scores are typed.
CREATE TABLE poll_criteria (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    idx     INTEGER NOT NULL,        -- 1-based
    name    TEXT NOT NULL,
    weight  INTEGER NOT NULL,        -- as given; normalised by their sum when scoring
    PRIMARY KEY (poll_id, idx)
);

-- The panel (评委) of a scored evaluation: named people whose sheets count
-- with the panel's weight.
CREATE TABLE poll_panel (
    poll_id   INTEGER NOT NULL REFERENCES polls(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (poll_id, person_id)
);

-- Where a ballot came from: online, or a paper ballot entered by staff
-- (person_id is then who entered it) with the name of who collected it.
ALTER TABLE poll_voters ADD COLUMN source TEXT NOT NULL DEFAULT 'online';   -- online, paper
ALTER TABLE poll_voters ADD COLUMN collector TEXT NOT NULL DEFAULT '';
