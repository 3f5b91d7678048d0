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
// it is now. About a microsecond; if the header cannot be read, the file's
// size stands in (never smaller).
func (db *DB) walLogSize() int64 {
	frames, page, ok := db.walFrames()
	if !ok {
		return db.walSize()
	}
	if frames == 0 {
		return 0
	}
	return walHeaderBytes + frames*(walFrameHeader+page)
}

// walFrames reads the wal-index header: the current log's last frame and the
// page size; ok is false if the header cannot be read. Safe from any goroutine.
func (db *DB) walFrames() (frames, page int64, ok bool) {
	f := db.walIndex()
	if f == nil {
		return 0, 0, false
	}
	var h [20]byte
	if _, err := f.ReadAt(h[:], 0); err != nil {
		return 0, 0, false
	}
	page = int64(binary.NativeEndian.Uint16(h[14:]))
	if page == 1 {
		page = 1 << 16
	}
	if binary.NativeEndian.Uint32(h[0:]) != walIndexVersion || h[12] == 0 || page < 512 {
		return 0, 0, false
	}
	return int64(binary.NativeEndian.Uint32(h[16:])), page, true
}

// walIndex is the -shm file, opened on first use (nil if it cannot be).
func (db *DB) walIndex() *os.File {
	if f := db.shm.Load(); f != nil {
		return f
	}
	f, err := os.Open(db.path + "-shm")
	if err != nil {
		return nil
	}
	if !db.shm.CompareAndSwap(nil, f) { // another goroutine opened it meanwhile
		f.Close()
		return db.shm.Load()
	}
	return f
}
