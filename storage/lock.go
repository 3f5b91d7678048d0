package storage

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked is returned by LockDatabase when another process (or another
// open in this one) holds the database's lock: a bot is running on it.
type ErrLocked struct {
	Path string
	PID  int // the holder's process id as it wrote it, 0 if unknown
}

func (e *ErrLocked) Error() string {
	holder := "another qiao process"
	if e.PID > 0 {
		holder = "another qiao process (pid " + strconv.Itoa(e.PID) + ")"
	}
	return fmt.Sprintf("storage: database %s is in use by %s; stop it first (one process per database)", e.Path, holder)
}

// Lock is the exclusive hold of one database by one process. It is an flock
// on path+".lock", so the kernel releases it when the process dies, however
// it dies: a crash never leaves a stale lock behind.
type Lock struct {
	f *os.File
}

// LockDatabase takes the exclusive lock of the database at path without
// waiting, or returns *ErrLocked. flock belongs to the open file, so a second
// LockDatabase in the same process is refused too.
func LockDatabase(path string) (*Lock, error) {
	if path == "" {
		return nil, errors.New("storage: lock: empty database path")
	}
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("storage: lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid := readPID(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &ErrLocked{Path: path, PID: pid}
		}
		return nil, fmt.Errorf("storage: lock %s: %w", name, err)
	}
	// The pid is only for the error message of whoever is refused next.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock. The lock file stays: removing it would let a
// process that opened it just before hold a lock on a deleted file.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	return err
}

func readPID(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, _ := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	return pid
}
