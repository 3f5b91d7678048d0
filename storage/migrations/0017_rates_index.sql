-- 0016: the overdue tickets' figures from the index alone. The 日报 groups the
-- open tickets past their deadline by holder, building and urgency (the 三率's
-- 解决率) and lists the urgent ones first: with those columns in the index
-- neither reads a table row per overdue ticket (20,000 of them in the
-- benchmark, scattered over years of history).
DROP INDEX requests_live_due;
CREATE INDEX requests_live_due ON requests(community_id, stage_due_at, state, kind, urgent, created_at, department_id, building_id)
    WHERE state IN ('submitted', 'dispatched', 'accepted', 'reopened', 'resolved', 'adopted', 'deferred');
