package wechat

import (
	"context"
	"net/http"
	"strings"

	"github.com/qiao-community/qiao/bot"
)

// inbound is what the library's sync goroutine hands to the adapter: a
// message, or the mark that a sync's messages are all handed over.
type inbound struct {
	m   bot.Message
	end bool
}

// maxSyncBatch bounds the messages handed to the engine in one batch.
const maxSyncBatch = 100

// syncEnds marks the end of each sync. openwechat gives no such callback: its
// sync goroutine fetches a sync (webwxsync), calls the message handler for
// each message in turn, and then long-polls synccheck again. So the next
// synccheck request, made on that goroutine after the last message of the
// sync was handed over, is the sync's end.
type syncEnds struct {
	next http.RoundTripper
	end  func()
}

func (s syncEnds) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/synccheck") {
		s.end()
	}
	return s.next.RoundTrip(r)
}

// receive hands the messages of each sync to the engine as one batch, in
// order, until ctx is done; then it handles what is already queued.
func (a *Adapter) receive(ctx, handleCtx context.Context, in bot.Inbound, msgs <-chan inbound) {
	var batch []bot.Message
	flush := func() {
		if len(batch) > 0 {
			a.handleBatch(handleCtx, in, batch)
			batch = nil
		}
	}
	take := func(it inbound) {
		if !it.end {
			batch = append(batch, it.m)
		}
		if it.end || len(batch) >= maxSyncBatch {
			flush()
		}
	}
	for {
		select {
		case it := <-msgs:
			take(it)
		case <-ctx.Done():
			for {
				select {
				case it := <-msgs:
					take(it)
				default:
					flush()
					return
				}
			}
		}
	}
}

// handleBatch hands one sync's messages to the engine. WeChat delivers
// nothing again, so a message that could not be recorded is only logged.
func (a *Adapter) handleBatch(ctx context.Context, in bot.Inbound, msgs []bot.Message) {
	defer a.recovered("handle")
	errs := make([]error, len(msgs))
	if b, ok := in.(bot.BatchInbound); ok {
		errs = b.HandleBatch(ctx, msgs)
	} else {
		for i, m := range msgs {
			errs[i] = in.Handle(ctx, m)
		}
	}
	for i, err := range errs {
		if err != nil {
			a.Log.Error("wechat: message not handled", "chat", msgs[i].Chat, "id", msgs[i].ID, "err", err)
		}
	}
}
