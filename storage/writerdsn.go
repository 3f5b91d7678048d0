package storage

// The writer's connection runs with the pool's pragmas (DSN) and its own:
// no checkpoint inside a commit (the checkpointer runs them beside it), its
// page cache, and statement journals in memory.
//
// A statement with triggers (a request's insert and its event's: their
// rating and rate rows) opens a statement journal inside the group commit,
// and every page it changes is copied there. Past 64 KiB in one transaction
// SQLite spills that journal to a temporary file, and from then on each
// page costs two pwrite calls: ~10 µs a message of the mixed workload, a
// quarter of SQLite's stepping (docs/performance.md, round 13). In memory
// (temp_store=MEMORY) the journal is truncated at the end of each statement,
// so it holds at most the pages of the largest statement. The temp database
// (an anonymous poll's seal) is in memory too, no temporary file, and gives
// its pages back at each commit (tempAutoVacuum).
//
// Only the writer's connection: the maintenance pool's migrations build
// indexes, whose sorts would then stay in memory too, and the readers' report
// queries may sort large results.

// tempAutoVacuum is run on the writer's connection once it is open: its temp
// database is in memory, and without auto_vacuum (set before the first temp
// table) the pages a temp table frees, an anonymous poll's seal, would stay
// allocated for the process's life instead of going back at the commit.
const tempAutoVacuum = "PRAGMA temp.auto_vacuum = FULL"

// writerPragmas are the writer connection's pragmas on top of DSN's, for a
// page cache of cacheKiB.
func writerPragmas(cacheKiB int) string {
	return maintenancePragmas(cacheKiB) + "&_pragma=temp_store(2)"
}

// maintenancePragmas are the maintenance pool's pragmas on top of DSN's.
func maintenancePragmas(cacheKiB int) string {
	// Checkpoints are left to the background checkpointer (see DB.checkpoint).
	return "&_pragma=wal_autocheckpoint(0)" + cachePragma(cacheKiB)
}

// WriterDSN is the data source name of the writer's connection to path with
// the memory settings mem (zero fields: the defaults) and the default WAL
// limit. qiao bench's ideal replays on it, so that bare SQLite runs Qiao's
// statements with the writer's own settings.
func WriterDSN(path string, mem Memory) string {
	return DSN(path) + writerPragmas(mem.WithDefaults().CacheKiB)
}
