-- 0020: a group post may address several people at once (the reporter of a
-- ticket and the residents whose reports were merged into it), so a building
-- group gets one message per step instead of one per person. JSON list of
-- {"key","name"} beside user_key/user_name, which stay the first addressee.
ALTER TABLE outbox ADD COLUMN mentions TEXT NOT NULL DEFAULT '';
