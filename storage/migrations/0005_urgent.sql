-- 0005: emergencies (困人, 着火, 燃气味 …) are recorded as urgent tickets.
ALTER TABLE requests ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;
