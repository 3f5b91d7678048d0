-- A 接龙 linked to an activity (#活动 A2 接龙 标题): its lines become the
-- activity's sign-ups, and each line remembers what it became.
ALTER TABLE jielong ADD COLUMN activity_id INTEGER REFERENCES activities(id);
ALTER TABLE jielong_lines ADD COLUMN signup_person_id INTEGER REFERENCES people(id);
ALTER TABLE jielong_lines ADD COLUMN signup_state TEXT NOT NULL DEFAULT ''; -- '', in, already, unknown, cancelled
