package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// Connection is a platform's last connection event, kept for `qiao status`
// (another process) under ConnectionKey.
type Connection struct {
	Kind  bot.ChannelEventKind `json:"kind"`
	At    time.Time            `json:"at"`
	Since time.Time            `json:"since,omitzero"`
	Err   string               `json:"err,omitempty"`
}

// connectionKinds are the events that say whether a channel is connected;
// the others (renames, enrolments) are not its health.
var connectionKinds = map[bot.ChannelEventKind]bool{
	bot.EventQR: true, bot.EventOnline: true, bot.EventSessionEnded: true, bot.EventLoginFailed: true,
	bot.EventSendStalled: true, bot.EventRecovered: true, bot.EventRefused: true, bot.EventGaveUp: true,
	bot.EventDisplaced: true,
}

// ConnectionKey is the kv key of a platform's last connection event.
func ConnectionKey(platform string) string { return "channel." + platform + ".connection" }

func (a *Alerts) recordConnection(ctx context.Context, e bot.ChannelEvent) error {
	if !connectionKinds[e.Kind] {
		return nil
	}
	c := Connection{Kind: e.Kind, At: e.At.UTC(), Since: e.Since.UTC()} // a zero Since stays zero (omitted)
	if e.Err != nil {
		c.Err = e.Err.Error()
	}
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return a.DB.SetValue(ctx, ConnectionKey(e.Platform), string(v))
}

// LoadConnection reads a platform's last connection event; ok is false when
// none was recorded.
func LoadConnection(ctx context.Context, db *storage.DB, platform string) (c Connection, ok bool, err error) {
	v, err := db.Value(ctx, ConnectionKey(platform))
	if errors.Is(err, storage.ErrNotFound) {
		return Connection{}, false, nil
	}
	if err != nil {
		return Connection{}, false, err
	}
	return c, true, json.Unmarshal([]byte(v), &c)
}
