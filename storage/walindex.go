package storage

import (
	"encoding/binary"
	"os"
)

// The wal-index header at the start of the -shm file, as SQLite documents it
// (https://www.sqlite.org/walformat.html): its version, whether it is
// initialised, the page size and the last valid frame, in native byte order.
const (
	walIndexVersion = 3007000
	walHeaderBytes  = 32 // the WAL file's header
	walFrameHeader  = 24 // before each page in the WAL file
)

// walLogSize is how many bytes of the WAL file the current log uses. A
// restarted log is written again from the file's start, so the file's size
// says only how large the log once was; the wal-index header says how large
// it is now. Read on the writer only (it holds the gate), about a microsecond;
// if the header cannot be read, the file's size stands in (never smaller).
func (db *DB) walLogSize() int64 {
	if db.shm == nil {
		f, err := os.Open(db.path + "-shm")
		if err != nil {
			return db.walSize()
		}
		db.shm = f
	}
	var h [20]byte
	if _, err := db.shm.ReadAt(h[:], 0); err != nil {
		return db.walSize()
	}
	page := int64(binary.NativeEndian.Uint16(h[14:]))
	if page == 1 {
		page = 1 << 16
	}
	if binary.NativeEndian.Uint32(h[0:]) != walIndexVersion || h[12] == 0 || page < 512 {
		return db.walSize()
	}
	frames := int64(binary.NativeEndian.Uint32(h[16:]))
	if frames == 0 {
		return 0
	}
	return walHeaderBytes + frames*(walFrameHeader+page)
}
