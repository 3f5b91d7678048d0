-- 0003: indexes for the request workflow's listings and the overdue job.
CREATE INDEX requests_person ON requests(person_id, id);
CREATE INDEX requests_department ON requests(department_id, state);
CREATE INDEX requests_due ON requests(state, stage_due_at) WHERE stage_due_at IS NOT NULL;
