-- 0010: the followers of a merged ticket are found by their original (reporter
-- counts in the digest, rating reminders, the 回访 list).
CREATE INDEX requests_duplicate_of ON requests(duplicate_of) WHERE duplicate_of IS NOT NULL;
