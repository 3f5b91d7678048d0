package storage

// GroupTurnout is how many of a group's members (or households) voted in a poll.
type GroupTurnout struct {
	GroupID         int64
	Name            string
	Voters          int
	Eligible        int
	NonVoters       []string // names (or rooms) of those who have not voted
	NonVotersHidden int      // how many more were left off the list
}

// electorate is the SQL of a poll's eligible voter keys (as column k, with a name n and group g).
func electorate(perHousehold bool) string {
	if perHousehold {
		return `SELECT DISTINCT 'h:' || p.room AS k, p.room AS n, m.group_id AS g FROM poll_groups pg
			CROSS JOIN members m ON m.group_id = pg.group_id CROSS JOIN people p ON p.id = m.person_id
			WHERE pg.poll_id = ? AND p.room <> ''`
	}
	// CROSS JOIN: the poll's groups, their members, each person; whatever the statistics say.
	return `SELECT DISTINCT 'p:' || p.id AS k, p.name AS n, m.group_id AS g FROM poll_groups pg
		CROSS JOIN members m ON m.group_id = pg.group_id CROSS JOIN people p ON p.id = m.person_id
		WHERE pg.poll_id = ?`
}

// PollTurnout returns the number of voters and of eligible voters. When every
// group of the poll has a configured electorate (households for per-household
// polls, residents otherwise), eligible is their sum and configured is true;
// otherwise it is the distinct members (or households) seen in those groups.
func (tx *Tx) PollTurnout(pollID int64, perHousehold bool) (voters, eligible int, configured bool, err error) {
	// The panel of a scored evaluation is not part of the residents' turnout.
	if err := tx.queryRow(`SELECT COUNT(*) FROM poll_voters WHERE poll_id = ? AND voter_key NOT LIKE 'j:%'`, pollID).Scan(&voters); err != nil {
		return 0, 0, false, err
	}
	if eligible, configured, err = tx.configuredElectorate(pollID, perHousehold); err != nil || !configured {
		if err == nil {
			err = tx.queryRow(`SELECT COUNT(DISTINCT k) FROM (`+electorate(perHousehold)+`)`, pollID).Scan(&eligible)
		}
	}
	// Someone whose household was registered after voting still counts as a voter.
	return voters, max(eligible, voters), configured, err
}

// configuredElectorate sums the configured size of a poll's groups; ok only
// when every group has one.
func (tx *Tx) configuredElectorate(pollID int64, perHousehold bool) (size int, ok bool, err error) {
	column := "g.residents"
	if perHousehold {
		column = "g.households"
	}
	var groups, configured int
	err = tx.queryRow(`SELECT COUNT(*), COALESCE(SUM(`+column+` > 0), 0), COALESCE(SUM(`+column+`), 0)
		FROM poll_groups pg JOIN groups g ON g.id = pg.group_id WHERE pg.poll_id = ?`, pollID).Scan(&groups, &configured, &size)
	return size, err == nil && groups > 0 && configured == groups, err
}

// PollTurnoutByGroup returns each group's turnout, with up to listLimit names of
// members (or households) who have not voted yet. It never says what anyone chose.
func (tx *Tx) PollTurnoutByGroup(pollID int64, perHousehold bool, listLimit int) ([]GroupTurnout, error) {
	rows, err := tx.query(`SELECT e.g, gr.name, e.k, e.n, EXISTS (SELECT 1 FROM poll_voters v WHERE v.poll_id = ? AND v.voter_key = e.k)
		FROM (`+electorate(perHousehold)+`) e JOIN groups gr ON gr.id = e.g ORDER BY e.g, e.n`, pollID, pollID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GroupTurnout
	for rows.Next() {
		var g int64
		var name, key, who string
		var voted bool
		if err := rows.Scan(&g, &name, &key, &who, &voted); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].GroupID != g {
			out = append(out, GroupTurnout{GroupID: g, Name: name})
		}
		t := &out[len(out)-1]
		t.Eligible++
		switch {
		case voted:
			t.Voters++
		case len(t.NonVoters) < listLimit:
			t.NonVoters = append(t.NonVoters, who)
		default:
			t.NonVotersHidden++
		}
	}
	return out, rows.Err()
}
