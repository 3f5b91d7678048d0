package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Blob kinds.
const (
	BlobImage = "image"
	BlobFile  = "file"
)

// Request picture stages: sent with the report, added with #补充, or with #办结.
const (
	StageReport     = "report"
	StageSupplement = "supplement"
	StageResolve    = "resolve"
)

// Blob is a stored picture or file. Data is empty when only the header was read.
type Blob struct {
	ID            int64
	CommunityID   int64
	Kind          string // BlobImage or BlobFile
	Name, MIME    string
	Size          int
	Width, Height int
	Data          []byte
	CreatedAt     time.Time
}

// CreateBlob stores a picture or file and returns its id.
func (tx *Tx) CreateBlob(b Blob) (int64, error) {
	if b.Kind != BlobImage && b.Kind != BlobFile {
		return 0, fmt.Errorf("create blob: kind %q", b.Kind)
	}
	if len(b.Data) == 0 {
		return 0, errors.New("create blob: no bytes")
	}
	res, err := tx.exec(`INSERT INTO blobs (community_id, kind, name, mime, size, width, height, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, nullID(b.CommunityID), b.Kind, b.Name, b.MIME, len(b.Data), b.Width, b.Height,
		b.Data, unix(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("create blob: %w", err)
	}
	return res.LastInsertId()
}

const blobColumns = `id, COALESCE(community_id, 0), kind, name, mime, size, width, height, data, created_at`

func scanBlob(row interface{ Scan(...any) error }) (Blob, error) {
	var b Blob
	var at int64
	err := row.Scan(&b.ID, &b.CommunityID, &b.Kind, &b.Name, &b.MIME, &b.Size, &b.Width, &b.Height, &b.Data, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return b, ErrNotFound
	}
	b.CreatedAt = fromUnix(at)
	return b, err
}

// FindBlob returns a blob with its bytes (the dispatcher, outside a transaction).
func (db *DB) FindBlob(ctx context.Context, id int64) (Blob, error) {
	return scanBlob(db.read.QueryRowContext(ctx, `SELECT `+blobColumns+` FROM blobs WHERE id = ?`, id))
}

// FindBlob returns a blob with its bytes.
func (tx *Tx) FindBlob(id int64) (Blob, error) {
	return scanBlob(tx.queryRow(`SELECT `+blobColumns+` FROM blobs WHERE id = ?`, id))
}

// AttachToRequest links a blob to a request at a stage; linking twice changes nothing.
func (tx *Tx) AttachToRequest(requestID, blobID int64, stage string, personID int64) error {
	_, err := tx.exec(`INSERT INTO request_blobs (request_id, blob_id, stage, person_id, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, requestID, blobID, stage, nullID(personID), unix(tx.Now))
	if err != nil {
		return fmt.Errorf("attach to request %d: %w", requestID, err)
	}
	return nil
}

// RequestBlob is a picture of a request, without its bytes.
type RequestBlob struct {
	BlobID   int64
	Stage    string
	PersonID int64
	At       time.Time
}

// RequestBlobs lists a request's pictures, oldest first.
func (tx *Tx) RequestBlobs(requestID int64) ([]RequestBlob, error) {
	rows, err := tx.query(`SELECT blob_id, stage, COALESCE(person_id, 0), created_at FROM request_blobs
		WHERE request_id = ? ORDER BY created_at, blob_id`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RequestBlob
	for rows.Next() {
		var rb RequestBlob
		var at int64
		if err := rows.Scan(&rb.BlobID, &rb.Stage, &rb.PersonID, &at); err != nil {
			return nil, err
		}
		rb.At = fromUnix(at)
		out = append(out, rb)
	}
	return out, rows.Err()
}

// LatestRequestBy returns the newest request a person raised from a group (or
// privately, groupID 0) since a time: where a picture sent right after #报修 belongs.
func (tx *Tx) LatestRequestBy(communityID, personID, groupID int64, since time.Time) (Request, error) {
	var id int64
	err := tx.queryRow(`SELECT id FROM requests WHERE person_id = ? AND COALESCE(group_id, 0) = ? AND created_at >= ?
		ORDER BY created_at DESC, id DESC LIMIT 1`, personID, groupID, unix(since)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrNotFound
	}
	if err != nil {
		return Request{}, err
	}
	return tx.FindRequest(communityID, id)
}
