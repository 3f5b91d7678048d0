package storage

import (
	"errors"
	"fmt"
	"os"
)

// filePerm is the mode of every file Qiao writes its data to: the database
// holds residents' names, rooms, complaints and ballots, for no one else's eyes.
const filePerm os.FileMode = 0o600

// restrictDatabaseFiles creates the database file at path with mode 0600 if
// it does not exist yet, and tightens it and its -wal and -shm files to 0600
// if an older Qiao left them readable. SQLite gives the -wal and -shm files
// it creates later the main file's mode (it chmods them to it, whatever the
// umask), so setting the main file is enough for them.
func restrictDatabaseFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		return fmt.Errorf("storage: open %s: %w", path, err)
	}
	f.Close()
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(name, filePerm); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("storage: restrict %s: %w", name, err)
		}
	}
	return nil
}

// createPrivate creates an empty file at path with mode 0600 (umask or not),
// refusing an existing one.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
	if err != nil {
		return err
	}
	if err := f.Chmod(filePerm); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
