package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
)

// printStatements lists the recorded writer statements by query, most frequent
// first, as statements per message: what each message kind costs (run with
// -mix chat=100 and the like to see one kind alone).
func printStatements(w io.Writer, r *writeRecorder, top int) {
	if r == nil || r.messages == 0 {
		return
	}
	counts := map[string]int{}
	for _, tx := range r.txs {
		counts["BEGIN/COMMIT"]++
		for _, s := range tx {
			counts[shortQuery(s.query)]++
		}
	}
	type row struct {
		query string
		n     int
	}
	var rows []row
	for q, n := range counts {
		rows = append(rows, row{q, n})
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Or(b.n-a.n, strings.Compare(a.query, b.query)) })
	fmt.Fprintf(w, "statements: %.2f a message (%d messages), by query:\n", float64(r.statements())/float64(r.messages), r.messages)
	for i, x := range rows {
		if i == top {
			fmt.Fprintf(w, "  … %d more queries\n", len(rows)-top)
			break
		}
		fmt.Fprintf(w, "  %6.3f  %s\n", float64(x.n)/float64(r.messages), x.query)
	}
}

// shortQuery is a query on one line, whitespace collapsed, cut at 110 runes.
func shortQuery(q string) string {
	q = strings.Join(strings.FieldsFunc(q, unicode.IsSpace), " ")
	if r := []rune(q); len(r) > 110 {
		q = string(r[:110]) + "…"
	}
	return q
}
