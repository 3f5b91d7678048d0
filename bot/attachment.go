package bot

import "context"

// Attachment kinds.
const (
	KindImage = "image"
	KindFile  = "file"
)

// Attachment is a picture or file beside a message's text. Inbound, adapters
// fill Data; outbound, the dispatcher loads Data from the stored blob BlobID.
type Attachment struct {
	Kind   string // KindImage or KindFile
	Name   string // file name, e.g. "R12.jpg" or "工单-2026-11.xlsx"
	MIME   string
	Data   []byte
	BlobID int64
}

// AttachmentSender is implemented by adapters that can send attachments; one
// that cannot send a kind gets the message without it (the text still goes
// out) and the dispatcher logs, once a platform and kind, what was left behind.
type AttachmentSender interface {
	CanSend(kind string) bool
}

func canSend(a Adapter, kind string) bool {
	s, ok := a.(AttachmentSender)
	return ok && s.CanSend(kind)
}

// attach loads a stored blob into an outgoing message when the adapter can send
// its kind. A blob that cannot be read is logged and the text goes out alone:
// a missing picture must not hold the chat's queue.
func (d *Dispatcher) attach(ctx context.Context, a Adapter, out *Outgoing, blobID int64) error {
	b, err := d.DB.FindBlob(ctx, blobID)
	if err != nil {
		return err
	}
	if !canSend(a, b.Kind) {
		if _, logged := d.leftBehind.LoadOrStore(a.Platform()+" "+b.Kind, true); !logged {
			d.Log.Warn("outbox: platform cannot send this kind; text only (logged once a kind)", "platform", a.Platform(), "kind", b.Kind, "blob", blobID)
		}
		return nil
	}
	out.Attachments = append(out.Attachments, Attachment{Kind: b.Kind, Name: b.Name, MIME: b.MIME, Data: b.Data, BlobID: b.ID})
	return nil
}
