package main

import (
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// recordTxs runs txs transactions of stmts statements through r's tracer, as
// the writer calls it, and returns the arguments it passed.
func recordTxs(r *writeRecorder, txs, stmts int) [][]any {
	tr := r.tracer()
	var passed [][]any
	for t := range txs {
		tr.Begin()
		for s := range stmts {
			args := []any{"telegram", "chat-7", int64(t*stmts + s), nil}
			passed = append(passed, args)
			tr.Stmt(true, "INSERT INTO inbound VALUES (?, ?, ?, ?)", args)
			tr.Stmt(false, "SELECT 1", nil) // a read transaction's: not recorded
		}
		tr.Commit(stmts)
	}
	return passed
}

// The recorder keeps each committed transaction's statements with copies of
// their arguments, drops a transaction that did not commit, and stops at its
// limit of messages.
func TestWriteRecorderKeepsCommittedTransactions(t *testing.T) {
	r := &writeRecorder{limit: 25}
	tr := r.tracer()
	tr.Begin() // rolled back: never committed
	tr.Stmt(true, "INSERT INTO lost VALUES (?)", []any{"lost"})
	passed := recordTxs(r, 4, 10)
	if got, want := r.messages, 30; got != want { // the third transaction passes the limit; the fourth is not kept
		t.Fatalf("messages = %d, want %d", got, want)
	}
	if got, want := len(r.txs), 3; got != want {
		t.Fatalf("transactions = %d, want %d", got, want)
	}
	if got, want := r.statements(), 30; got != want {
		t.Fatalf("statements = %d, want %d", got, want)
	}
	for i, tx := range r.txs {
		for j, s := range tx {
			want := passed[i*10+j]
			want[0] = "changed after the statement ran" // the recorder must hold its own copy
			if s.query != "INSERT INTO inbound VALUES (?, ?, ?, ?)" || len(s.args) != 4 || s.args[0] != "telegram" ||
				s.args[2] != int64(i*10+j) || s.args[3] != nil {
				t.Fatalf("tx %d statement %d = %q %v", i, j, s.query, s.args)
			}
		}
	}
}

// BenchmarkWriteRecorder is the recorder's cost a statement inside the
// writer: transactions of 640 statements, a fresh recorder every 64 of them so
// that the collector's work on a growing record does not swamp it.
func BenchmarkWriteRecorder(b *testing.B) {
	args := []any{"telegram", "chat-7", int64(42), "m-1", nil, "some text", int64(7)}
	var tr *storage.Tracer
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%(640*64) == 0 {
			tr = (&writeRecorder{limit: 64 * 64}).tracer()
		}
		if i%640 == 0 {
			tr.Begin()
		}
		tr.Stmt(true, "INSERT INTO outbox VALUES (?, ?, ?, ?, ?, ?, ?)", args)
		if i%640 == 639 {
			tr.Commit(64)
		}
	}
}
