package storage

import (
	"regexp"
	"strings"
	"sync"
)

// rowCache keeps rows a message reads again and again between write
// transactions — the sender with their roles, "no pending conversation", the
// polls of a group with their options and groups — and the day each
// membership was last touched, so chit-chat costs one statement, not six.
//
// Like configCache it serves write transactions only, which run one at a time
// on the one write connection, and it is kept true by tables: every statement
// a write transaction runs is looked at for the tables it writes (by its text,
// once per query); a write to a table a section depends on empties that
// section, and the transaction bypasses the section until it ends (it could
// read its own uncommitted rows, which a rollback would undo). A commit by
// another connection changes data_version, which empties every section.
type rowCache struct {
	mu      sync.Mutex
	entries [numSections]map[rowKey]any
}

// section is one kind of cached row.
type section uint8

const (
	secPerson         section = iota // person (with roles) by community, platform and user
	secTouch                         // the day a membership was last touched
	secNoConversation                // a chat and person without a pending conversation
	secPolls                         // polls with their parts, by query and arguments
	secMeetings                      // a group's meetings not yet over, by group and window
	numSections
)

// sectionTables are the tables each section's rows are read from.
var sectionTables = [numSections][]string{
	secPerson:         {"people", "roles"},
	secTouch:          {"members"},
	secNoConversation: {"conversations"},
	secPolls:          {"polls", "poll_options", "poll_groups", "poll_panel", "poll_criteria"},
	secMeetings:       {"activities", "activity_groups"},
}

// maxSectionEntries bounds a section: past it, the section starts again empty.
const maxSectionEntries = 20000

func newRowCache() *rowCache {
	c := &rowCache{}
	c.reset()
	return c
}

func (c *rowCache) get(s section, key rowKey) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[s][key]
	return v, ok
}

func (c *rowCache) put(s section, key rowKey, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries[s]) >= maxSectionEntries {
		c.entries[s] = map[rowKey]any{}
	}
	c.entries[s][key] = v
}

func (c *rowCache) resetSection(s section) {
	c.mu.Lock()
	c.entries[s] = map[rowKey]any{}
	c.mu.Unlock()
}

func (c *rowCache) reset() {
	for s := range numSections {
		c.resetSection(s)
	}
}

// stagedRow is a row a transaction wrote and will cache once it commits.
type stagedRow struct {
	s   section
	key rowKey
	v   any
}

// noteWrites invalidates the sections that depend on the tables query writes,
// except keep (numSections: none), whose caller keeps it true itself.
func (tx *Tx) noteWrites(query string, keep section) {
	if tx.rows == nil {
		return
	}
	for _, t := range writtenTables(query) {
		for s := range numSections {
			if s != keep && !tx.rowsDirty[s] && dependsOn(s, t) {
				tx.rowsDirty[s] = true
				tx.rows.resetSection(s)
			}
		}
	}
}

func dependsOn(s section, table string) bool {
	for _, t := range sectionTables[s] {
		if t == table {
			return true
		}
	}
	return false
}

// cachedRow returns the row cached under key in section s, or false.
func (tx *Tx) cachedRow(s section, key rowKey) (any, bool) {
	if tx.rows == nil || tx.rowsDirty[s] || tx.rowsHeld[s] {
		return nil, false
	}
	return tx.rows.get(s, key)
}

// cacheRow caches a row read in this transaction: it is committed, since the
// transaction has not written the section's tables.
func (tx *Tx) cacheRow(s section, key rowKey, v any) {
	if tx.rows != nil && !tx.rowsDirty[s] && !tx.rowsHeld[s] {
		tx.rows.put(s, key, v)
	}
}

// stageRow caches a row this transaction wrote, once it commits.
func (tx *Tx) stageRow(s section, key rowKey, v any) {
	if tx.rows != nil && !tx.rowsDirty[s] && !tx.rowsHeld[s] {
		tx.staged = append(tx.staged, stagedRow{s, key, v})
	}
}

// holdRows is for a write that adds rows of section s no cached row depends
// on (a new person): the section is not emptied for everyone, but this
// transaction stops using it, since what it reads now may never commit.
func (tx *Tx) holdRows(s section) { tx.rowsHeld[s] = true }

// commitStaged caches the staged rows of a committed transaction.
func (tx *Tx) commitStaged() {
	for _, r := range tx.staged {
		if !tx.rowsDirty[r.s] {
			tx.rows.put(r.s, r.key, r.v)
		}
	}
}

// writeRe finds the tables a statement writes. "DO UPDATE SET" matches as a
// table named set, which nothing depends on.
var writeRe = regexp.MustCompile(`(?i)\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)`)

var writtenByQuery sync.Map // query → []string

// writtenTables lists the tables query writes (lower case); DDL counts as
// writing every table a section depends on.
func writtenTables(query string) []string {
	if v, ok := writtenByQuery.Load(query); ok {
		return v.([]string)
	}
	var tables []string
	head := strings.ToUpper(strings.TrimSpace(query))
	if strings.HasPrefix(head, "CREATE") || strings.HasPrefix(head, "DROP") || strings.HasPrefix(head, "ALTER") {
		for _, ts := range sectionTables {
			tables = append(tables, ts...)
		}
	}
	for _, m := range writeRe.FindAllStringSubmatch(query, -1) {
		tables = append(tables, strings.ToLower(m[1]))
	}
	writtenByQuery.Store(query, tables)
	return tables
}

// readRe finds the tables a query reads.
var readRe = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+"?(\w+)`)

var readsOnlyByQuery sync.Map // query and section → bool

// readsOnly reports whether query reads no table but those section s depends
// on: only then can its result be cached in s.
func readsOnly(query string, s section) bool {
	key := string(rune('0'+s)) + query
	if v, ok := readsOnlyByQuery.Load(key); ok {
		return v.(bool)
	}
	only := true
	for _, m := range readRe.FindAllStringSubmatch(query, -1) {
		only = only && dependsOn(s, strings.ToLower(m[1]))
	}
	readsOnlyByQuery.Store(key, only)
	return only
}
