package storage

import "time"

// WriterBusy is how long write transactions have held the write connection
// since Open, from their BEGIN to the end of their COMMIT (or rollback). The
// writer is the one serial stage: over a run, its busy time a message bounds
// the rate, and busy/elapsed says how often it waited for work.
func (db *DB) WriterBusy() time.Duration { return time.Duration(db.writerBusy.Load()) }

func (db *DB) noteBusy(since time.Time) { db.writerBusy.Add(int64(time.Since(since))) }
