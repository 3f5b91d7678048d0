// Package telegramtest is a fake Telegram Bot API server on 127.0.0.1 for
// tests: it serves getUpdates as a long poll of updates the test pushes,
// confirms them by offset like Telegram, records every call, and answers sends
// with message ids or with errors the test queues.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// Token is the bot token the fake accepts.
const Token = "123456:TEST-token"

// BotID and Username identify the fake's bot.
const (
	BotID    = 1000
	Username = "QiaoBot"
)

// Call is one Bot API call the fake received.
type Call struct {
	Method string
	Params map[string]string // form fields; JSON-valued fields as their JSON text
	Files  []File            // uploaded files (sendPhoto, sendDocument)
	At     time.Time         // the test clock's time when it arrived
}

// Fake is a fake Bot API server.
type Fake struct {
	URL string
	// Now stamps calls (the test's virtual clock); default time.Now.
	Now func() time.Time

	srv     *httptest.Server
	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	pending []update      // not yet confirmed
	nextUpd int64
	nextMsg int
	calls   []Call
	fail    map[string][]string // method → queued error bodies
	offsets []int64             // offsets of getUpdates calls
	texts   map[string]string   // chat:message → text and markup, for "not modified"
	files   map[string][]byte   // file_id → bytes served by getFile and /file/
	// holdAfter > 0: getUpdates calls after that many are held before their
	// offset confirms anything (HoldUpdatesAfter); held counts them.
	holdAfter, polls, held int
}

type update struct {
	id   int64
	body map[string]any
}

// New starts a fake and closes it when the test ends.
func New(t testing.TB) *Fake {
	t.Helper()
	f := &Fake{Now: time.Now, changed: make(chan struct{}), nextUpd: 1, nextMsg: 100, fail: map[string][]string{},
		texts: map[string]string{}, files: map[string][]byte{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	t.Cleanup(f.Close)
	return f
}

// Close stops the server; pending long polls end.
func (f *Fake) Close() {
	f.srv.CloseClientConnections()
	f.srv.Close()
}

func (f *Fake) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// Push queues an update (its update_id is assigned) and returns its id.
func (f *Fake) Push(body map[string]any) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.nextUpd
	f.nextUpd++
	body["update_id"] = id
	f.pending = append(f.pending, update{id: id, body: body})
	f.notify()
	return id
}

// Fail makes the next call of method fail with a Bot API error.
func (f *Fake) Fail(method string, code int, description string, parameters map[string]any) {
	body := map[string]any{"ok": false, "error_code": code, "description": description}
	if parameters != nil {
		body["parameters"] = parameters
	}
	b, _ := json.Marshal(body)
	f.mu.Lock()
	f.fail[method] = append(f.fail[method], string(b))
	f.mu.Unlock()
}

// Calls returns the calls of a method ("" for all) so far.
func (f *Fake) Calls(method string) []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Call
	for _, c := range f.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// HoldUpdatesAfter holds every getUpdates call after the first n, before its
// offset confirms anything, until HoldUpdatesAfter(0) (a process killed while
// one is held has confirmed nothing).
func (f *Fake) HoldUpdatesAfter(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.holdAfter = n
	f.notify()
}

// Held is the number of getUpdates calls being held.
func (f *Fake) Held() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.held
}

// Pending is the number of updates not yet confirmed.
func (f *Fake) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.pending)
}

// WaitFor waits until cond holds (checked after every change), failing the
// test after a generous timeout rather than hanging.
func (f *Fake) WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(time.Minute)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("telegramtest: timed out waiting for %s; calls: %v", what, f.Calls(""))
		}
	}
}

// WaitCalls waits until method was called at least n times and returns the calls.
func (f *Fake) WaitCalls(t testing.TB, method string, n int) []Call {
	t.Helper()
	f.WaitFor(t, fmt.Sprintf("%d %s call(s)", n, method), func() bool { return len(f.Calls(method)) >= n })
	return f.Calls(method)
}

// WaitConfirmed waits until the update with this id was confirmed (a getUpdates
// with a higher offset arrived).
func (f *Fake) WaitConfirmed(t testing.TB, id int64) {
	t.Helper()
	f.WaitFor(t, fmt.Sprintf("update %d confirmed", id), func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, o := range f.offsets {
			if o > id {
				return true
			}
		}
		return false
	})
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/file/") {
		f.serveFile(w, r)
		return
	}
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	params, files, err := readParams(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, Call{Method: method, Params: params, Files: files, At: f.Now()})
	f.notify()
	var failed string
	if q := f.fail[method]; len(q) > 0 {
		failed, f.fail[method] = q[0], q[1:]
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case !ok || token != Token:
		_, _ = io.WriteString(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
	case failed != "":
		_, _ = io.WriteString(w, failed)
	case method == "getUpdates":
		f.getUpdates(w, r, params)
	case method == "getMe":
		reply(w, map[string]any{"id": BotID, "is_bot": true, "first_name": "Qiao", "username": Username})
	case (method == "sendMessage" || method == "editMessageText") && badButtons(params["reply_markup"]):
		_, _ = io.WriteString(w, `{"ok":false,"error_code":400,"description":"Bad Request: BUTTON_COPY_TEXT_INVALID"}`)
	case method == "sendMessage" || method == "editMessageText" || method == "sendPhoto" || method == "sendDocument":
		f.message(w, method, params)
	case method == "getFile":
		f.getFile(w, params)
	default: // answerCallbackQuery, setMyCommands, deleteWebhook, setWebhook
		reply(w, true)
	}
}

// MaxText is the longest text Telegram accepts, in UTF-16 units.
const MaxText = 4096

func (f *Fake) message(w http.ResponseWriter, method string, params map[string]string) {
	chatID, _ := strconv.ParseInt(params["chat_id"], 10, 64)
	if len(utf16.Encode([]rune(params["text"]))) > MaxText {
		_, _ = io.WriteString(w, `{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}`)
		return
	}
	f.mu.Lock()
	id := f.nextMsg
	if method == "editMessageText" {
		id, _ = strconv.Atoi(params["message_id"])
	} else {
		f.nextMsg++
	}
	key, content := params["chat_id"]+":"+strconv.Itoa(id), params["text"]+"\x00"+params["reply_markup"]
	unchanged := method == "editMessageText" && f.texts[key] == content
	f.texts[key] = content
	f.mu.Unlock()
	if unchanged {
		_, _ = io.WriteString(w, `{"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"}`)
		return
	}
	chatType := "supergroup"
	if chatID > 0 {
		chatType = "private"
	}
	reply(w, map[string]any{"message_id": id, "date": f.Now().Unix(), "text": params["text"],
		"chat": map[string]any{"id": chatID, "type": chatType},
		"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "Qiao", "username": Username}})
}

// getUpdates confirms updates below the offset, then answers with the pending
// ones, or holds the request until there are some or the client goes away.
func (f *Fake) getUpdates(w http.ResponseWriter, r *http.Request, params map[string]string) {
	offset, _ := strconv.ParseInt(params["offset"], 10, 64)
	// Telegram returns at most limit updates (1–100, default 100) a call.
	limit, err := strconv.Atoi(params["limit"])
	if err != nil || limit < 1 || limit > 100 {
		limit = 100
	}
	f.mu.Lock()
	f.polls++
	for f.holdAfter > 0 && f.polls > f.holdAfter {
		f.held++
		f.notify() // before taking ch: it closes the current one
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-r.Context().Done():
			f.mu.Lock()
			f.held--
			f.mu.Unlock()
			return // the caller is gone: nothing confirmed
		}
		f.mu.Lock()
		f.held--
	}
	f.mu.Unlock()
	for {
		f.mu.Lock()
		if offset > 0 {
			kept := f.pending[:0]
			for _, u := range f.pending {
				if u.id >= offset {
					kept = append(kept, u)
				}
			}
			f.pending = kept
			f.offsets = append(f.offsets, offset)
			offset = 0
			f.notify()
		}
		var out []map[string]any
		for _, u := range f.pending[:min(len(f.pending), limit)] {
			out = append(out, u.body)
		}
		ch := f.changed
		f.mu.Unlock()
		if len(out) > 0 {
			reply(w, out)
			return
		}
		select {
		case <-ch:
		case <-r.Context().Done():
			return
		}
	}
}

// badButtons reports an inline keyboard Telegram refuses: a button with an
// empty copy_text (what go-telegram/bot's own type sends), or with neither
// callback_data nor another action.
func badButtons(markup string) bool {
	if markup == "" {
		return false
	}
	var kb struct {
		InlineKeyboard [][]map[string]json.RawMessage `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(markup), &kb) != nil {
		return true
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if ct, ok := b["copy_text"]; ok {
				var c struct {
					Text string `json:"text"`
				}
				if json.Unmarshal(ct, &c) != nil || c.Text == "" {
					return true
				}
			}
			if _, ok := b["callback_data"]; !ok && len(b) < 2 {
				return true
			}
		}
	}
	return false
}

func reply(w http.ResponseWriter, result any) {
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// readParams reads a multipart form (the library) or a JSON object (the
// adapter's getUpdates) into strings.
func readParams(r *http.Request) (map[string]string, []File, error) {
	out := map[string]string{}
	var files []File
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return out, nil, nil // getMe and friends send an empty form
		}
		for k, v := range r.MultipartForm.Value {
			out[k] = v[0]
		}
		var err error
		if files, err = readFiles(r.MultipartForm); err != nil {
			return nil, nil, err
		}
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, nil, err
		}
		for k, v := range m {
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[k] = s
			} else {
				out[k] = string(v)
			}
		}
	}
	return out, files, nil
}
