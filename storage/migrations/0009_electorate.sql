-- A group's configured electorate (config: households, residents), so
-- turnout is measured against the people who could vote, not only those the
-- bot has seen speak. 0 means not configured.
ALTER TABLE groups ADD COLUMN households INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN residents INTEGER NOT NULL DEFAULT 0;
