package wechat_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	qr "github.com/piglig/go-qr"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/bot/wechat/wechattest"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

var start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

const (
	building = "3栋居民群"
	staff    = "社区工作群"
)

var residents = []wechattest.Member{{Nick: "居民甲", Display: "3-2-501 甲"}, {Nick: "居民乙"}, {Nick: "居民丙"}, {Nick: "刘书记"}}

// world is one deployment: a database, an engine and a dispatcher, and a fake
// WeChat. Each call of start runs the adapter once (one process lifetime).
type world struct {
	t      *testing.T
	fake   *wechattest.Fake
	db     *storage.DB
	clock  *bot.VirtualClock
	engine *bot.Engine
	dir    string
	log    *slog.Logger
	pacing wechat.Pacing
	// beforeOnline, when set, runs when a login has returned, before the adapter goes on.
	beforeOnline func()
	// onMessage, when set, runs first for each library message.
	onMessage func(text string)
	// privileged are the user keys only an enrolled contact may have.
	privileged []string
	maxKicks   int

	mu       sync.Mutex
	received []bot.Message
	events   eventSink
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, dir: t.TempDir(), clock: bot.NewVirtualClock(start), events: make(eventSink, 100),
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if testing.Verbose() {
		w.log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	w.fake = wechattest.New("小桥", wechattest.Group{Title: building, Members: residents},
		wechattest.Group{Title: staff, Members: residents[3:]}, wechattest.Group{Title: "闲聊群", Members: residents[:1]})
	t.Cleanup(w.fake.Close)
	var err error
	w.db, err = storage.Open(context.Background(), filepath.Join(w.dir, "qiao.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.db.Close() })
	w.db.Now = w.clock.Now
	err = w.db.Update(context.Background(), func(tx *storage.Tx) error {
		_, err := tx.SyncCommunity(storage.CommunitySpec{Key: "heping", Name: "和平路社区", Timezone: "Asia/Shanghai", Lang: "zh-CN",
			Buildings: []storage.BuildingSpec{{Key: "b3", Name: "3栋"}},
			Groups: []storage.GroupSpec{
				{Key: "b3", Name: building, Platform: bot.WeChat, Chat: building, Kind: storage.GroupBuilding, Building: "b3", Mode: "off"},
				{Key: "staff", Name: staff, Platform: bot.WeChat, Chat: staff, Kind: storage.GroupStaff, Mode: "off"},
			}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := bot.NewMux()
	req := &requests.Handlers{Classifier: requests.NewClassifier(nil)}
	mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Kind: "suggestion", Handler: req.Suggest})
	mux.Handle(bot.Command{Name: "投票", Aliases: []string{"poll"}, Kind: "poll", Handler: func(c *bot.Context) error { return nil }})
	w.engine = &bot.Engine{DB: w.db, Mux: mux, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Log: w.log, BotNames: []string{"小桥"}}
	w.pacing = wechat.Pacing{MinGap: 1500 * time.Millisecond, GroupGap: 3 * time.Second, Jitter: 1500 * time.Millisecond, PerMinute: 20}
	return w
}

// Handle records what reaches the engine, then hands it on.
func (w *world) Handle(ctx context.Context, m bot.Message) error {
	w.mu.Lock()
	w.received = append(w.received, m)
	w.mu.Unlock()
	return w.engine.Handle(ctx, m)
}

func (w *world) Load(ctx context.Context, key string) (string, error) {
	v, err := w.db.Value(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return "", nil
	}
	return v, err
}

func (w *world) Save(ctx context.Context, key, value string) error {
	return w.db.SetValue(ctx, key, value)
}

func (w *world) chats(ctx context.Context) ([]string, error) {
	var out []string
	err := w.db.View(ctx, func(tx *storage.Tx) error {
		groups, err := tx.AllGroups()
		for _, g := range groups {
			if g.Platform == bot.WeChat {
				out = append(out, g.ChatKey)
			}
		}
		return err
	})
	return out, err
}

// run is one adapter and dispatcher lifetime.
type run struct {
	w      *world
	ad     *wechat.Adapter
	disp   *bot.Dispatcher
	cancel context.CancelFunc
	done   chan struct{}
	qr     *strings.Builder
}

func (w *world) start() *run {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{w: w, cancel: cancel, done: make(chan struct{}), qr: &strings.Builder{}}
	cfg := wechat.Config{Enabled: true, LoginFile: filepath.Join(w.dir, "wechat-login.json"),
		QRFile: filepath.Join(w.dir, "wechat-login-qr.png"), Pacing: w.pacing, MaxKicks: w.maxKicks}
	cfg.Defaults()
	r.ad = &wechat.Adapter{Config: cfg, Log: w.log, Clock: w.clock, Store: w, Chats: w.chats,
		Events:    w.events,
		QROut:     &lockedWriter{b: r.qr},
		Transport: w.fake.Transport()}
	if w.beforeOnline != nil {
		r.ad.SetBeforeOnline(w.beforeOnline)
	}
	if w.onMessage != nil {
		r.ad.SetOnMessage(w.onMessage)
	}
	r.ad.Privileged = func(context.Context) ([]string, error) { return w.privileged, nil }
	r.disp = &bot.Dispatcher{DB: w.db, Clock: w.clock, Log: w.log}
	r.disp.Register(r.ad)
	w.engine.Wake = r.disp.Wake
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); r.disp.Run(ctx) }()
	go func() {
		defer wg.Done()
		if err := r.ad.Run(ctx, w); err != nil {
			w.t.Errorf("run: %v", err)
		}
	}()
	go func() { wg.Wait(); close(r.done) }()
	w.t.Cleanup(r.stop)
	return r
}

// stop cancels the run and waits for the adapter and the dispatcher to end.
func (r *run) stop() {
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(patience):
		r.w.t.Fatal("adapter did not stop")
	}
}

// eventSink collects the adapter's channel events.
type eventSink chan bot.ChannelEvent

func (c eventSink) Publish(e bot.ChannelEvent) { c <- e }

type lockedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// event waits for the next event of a kind, failing on timeout.
func (w *world) event(kind bot.ChannelEventKind) bot.ChannelEvent {
	w.t.Helper()
	timeout := time.After(patience)
	for {
		select {
		case e := <-w.events:
			if e.Kind == kind {
				return e
			}
		case <-timeout:
			w.t.Fatalf("no %s event", kind)
		}
	}
}

// sent waits until the bot has sent n messages in all.
func (w *world) sent(n int) []wechattest.Sent {
	w.t.Helper()
	got := w.fake.WaitSent(n, patience)
	if len(got) < n {
		w.t.Fatalf("sent %d messages, want %d: %+v", len(got), n, got)
	}
	return got
}

// sentTo is what the bot has sent into one chat (a group's title or a
// friend's nickname) so far.
func (w *world) sentTo(chat string) []wechattest.Sent {
	var out []wechattest.Sent
	for _, s := range w.fake.Sent() {
		if s.To == chat {
			out = append(out, s)
		}
	}
	return out
}

// deliveredTo lets virtual time pass until the bot has sent n messages into
// chat, and returns them. A new request sends its reply and a notice to the
// staff group, and the account's pacing holds the second a few seconds.
func (w *world) deliveredTo(chat string, n int) []wechattest.Sent {
	w.t.Helper()
	w.until(time.Minute, fmt.Sprintf("%d messages to %s", n, chat), func() bool { return len(w.sentTo(chat)) >= n })
	return w.sentTo(chat)
}

// message waits until the engine has received n messages and returns the nth.
func (w *world) message(n int) bot.Message {
	w.t.Helper()
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		if len(w.received) >= n {
			m := w.received[n-1]
			w.mu.Unlock()
			return m
		}
		w.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	w.t.Fatalf("engine got fewer than %d messages", n)
	return bot.Message{}
}

// qrLogin starts a run, checks the QR code and scans it.
func (w *world) qrLogin() *run {
	w.t.Helper()
	r := w.start()
	e := w.event(bot.EventQR)
	f, err := os.Open(e.QRFile)
	if err != nil {
		w.t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		w.t.Fatal(err)
	}
	text, err := qr.Decode(img)
	if err != nil || !strings.HasPrefix(text, "https://login.weixin.qq.com/l/uuid") {
		w.t.Fatalf("QR PNG holds %q, %v", text, err)
	}
	w.fake.Scan()
	w.event(bot.EventOnline)
	return r
}

func (w *world) count(query string, args ...any) int {
	w.t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(w.dir, "qiao.db"))
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// settled lets virtual time pass until the outbox has no pending message:
// under the account's pacing a burst takes a few seconds to go out.
func (w *world) settled() {
	w.t.Helper()
	w.until(time.Minute, "the outbox to drain", func() bool {
		return w.count(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`) == 0
	})
}

// step is how far until moves the virtual clock at a time.
const step = 100 * time.Millisecond

// until moves the virtual clock forward a step at a time, each time once the
// dispatcher waits for it, until done holds; it fails when done does not hold
// within limit of virtual time. done is checked only while the dispatcher
// waits, so the clock then reads the virtual time at which done came true.
func (w *world) until(limit time.Duration, what string, done func() bool) {
	w.t.Helper()
	end := w.clock.Now().Add(limit)
	for {
		w.idle()
		if done() {
			return
		}
		if w.clock.Now().After(end) {
			w.t.Fatalf("no %s within %s of virtual time", what, limit)
		}
		w.clock.Advance(step)
	}
}

func TestQRLoginSuggestionRepliesInTheGroup(t *testing.T) {
	w := newWorld(t)
	r := w.qrLogin()
	if !strings.Contains(r.qr.String(), "█") {
		t.Error("no QR code printed on the terminal")
	}
	w.fake.Say(building, "居民甲", "#建议 交警大院划一些停车位")
	got := w.sent(1)
	if got[0].To != building || !strings.HasPrefix(got[0].Content, "@3-2-501 甲\u2005") || !strings.Contains(got[0].Content, "S1") {
		t.Fatalf("reply %+v, want an @mention with S1 in %s", got[0], building)
	}
	if n := w.count(`SELECT COUNT(*) FROM requests r JOIN people p ON p.id = r.person_id WHERE p.user_key = ? AND r.text = ?`,
		"居民甲", "交警大院划一些停车位"); n != 1 {
		t.Fatalf("suggestions by 居民甲: %d, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "wechat-login-qr.png")); !os.IsNotExist(err) {
		t.Error("the QR PNG is still there after login")
	}
}

// The library starts receiving before its login returns. A message that comes
// in that moment is answered at once, not held back as if WeChat were away.
func TestMessageBeforeLoginReturnsIsAnswered(t *testing.T) {
	w := newWorld(t)
	held := make(chan struct{})
	w.beforeOnline = func() {
		defer close(held)
		w.fake.Say(building, "居民甲", "#建议 登录还没返回")
		if got := w.fake.WaitSent(1, patience); len(got) != 1 || !strings.Contains(got[0].Content, "S1") {
			t.Errorf("while the login had not returned, sent %+v; want the reply with S1", got)
		}
	}
	w.start()
	w.event(bot.EventQR)
	w.fake.Scan()
	select {
	case <-held:
	case <-time.After(2 * patience):
		t.Fatal("the login never returned")
	}
}

func TestMultiLineTextArrivesIntact(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	text := "#投票 周末活动选哪天？\n周六上午\n周日下午 <见面> & 聊天"
	w.fake.Say(building, "居民乙", text)
	m := w.message(1)
	if m.Text != text || m.Chat != building || m.User != "居民乙" || m.Platform != bot.WeChat {
		t.Fatalf("engine got %+v, want the text %q from 居民乙 in %s", m, text, building)
	}
}

func TestIgnoresOwnMessagesAndMarksMentionsAndPictures(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.SayAsSelf(building, "#建议 我自己说的")
	w.fake.Say(building, "居民甲", "@小桥\u2005帮助")
	w.fake.SayImage(building, "居民丙")
	if m := w.message(1); !m.Addressed || m.User != "居民甲" {
		t.Fatalf("first message %+v: want 居民甲's @mention (the bot's own message is dropped)", m)
	}
	if m := w.message(2); m.NonText == "" || m.Text != "" || m.User != "居民丙" {
		t.Fatalf("second message %+v: want 居民丙's picture marked as not text", m)
	}
}

func TestHotLoginTwiceKeepsGroupsAndPeople(t *testing.T) {
	w := newWorld(t)
	r := w.qrLogin()
	w.fake.Say(building, "居民甲", "#建议 第一次")
	w.deliveredTo(building, 1)
	w.settled()
	oldGroup, oldPerson, oldStaff := w.fake.ID(building), w.fake.ID("居民甲"), w.fake.ID(staff)
	r.stop()

	for i := 1; i <= 2; i++ {
		r = w.start()
		w.event(bot.EventOnline)
		if got := w.fake.Logins("hot"); got != i {
			t.Fatalf("hot logins: %d, want %d", got, i)
		}
		if w.fake.ID(building) == oldGroup || w.fake.ID("居民甲") == oldPerson || w.fake.ID(staff) == oldStaff {
			t.Fatal("the fake did not change the @ ids")
		}
		w.fake.Say(building, "居民甲", "#建议 热登录之后")
		got := w.deliveredTo(building, 1+i)
		id := fmt.Sprintf("S%d", 1+i)
		if last := got[len(got)-1]; !strings.Contains(last.Content, "3-2-501 甲") || !strings.Contains(last.Content, id) {
			t.Fatalf("reply after hot login %d: %+v, want %s with an @mention", i, last, id)
		}
		// The staff group is found again too: its notice of the new suggestion arrives.
		notices := w.deliveredTo(staff, 1+i)
		if last := notices[len(notices)-1]; !strings.Contains(last.Content, id) || !strings.Contains(last.Content, "热登录之后") {
			t.Fatalf("staff notice after hot login %d: %+v, want %s", i, last, id)
		}
		w.settled()
		r.stop()
	}
	if n := len(w.fake.Sent()); n != 6 {
		t.Fatalf("sent %d messages, want 6 (a reply and a staff notice for each suggestion)", n)
	}
	if got := w.fake.Logins("qr"); got != 1 {
		t.Fatalf("QR logins: %d, want 1", got)
	}
	if n := w.count(`SELECT COUNT(*) FROM people WHERE platform = 'wechat'`); n != 1 {
		t.Fatalf("people: %d, want 1 (居民甲, whatever the @ ids)", n)
	}
	if n := w.count(`SELECT COUNT(*) FROM requests WHERE group_id = (SELECT id FROM groups WHERE key = 'b3')`); n != 3 {
		t.Fatalf("suggestions in %s: %d, want 3", building, n)
	}
}

// idle waits until the dispatcher waits on the virtual clock again.
func (w *world) idle() {
	w.t.Helper()
	deadline := time.Now().Add(patience)
	for w.clock.Waiters() == 0 || !dispatcherWaits() {
		if time.Now().After(deadline) {
			w.t.Fatal("dispatcher never waited")
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// dispatcherWaits reports whether the dispatcher is blocked: its wake fan-out
// parked in its select (no wake on the way), and its sending goroutine parked
// in its select for the next due time or in the adapter's wait between the
// parts of a long text. The clock's timer count alone cannot tell: a timer
// the dispatcher stopped waiting for when a wake came stays counted until the
// clock passes it, and the clock must not move while a message is on its way.
func dispatcherWaits() bool {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	fanOut, lane := false, false
	for _, g := range strings.Split(string(buf), "\n\n") {
		header, frames, _ := strings.Cut(g, "\n")
		if !strings.Contains(header, "[select") {
			continue
		}
		switch {
		case strings.HasPrefix(frames, "github.com/qiao-community/qiao/bot.(*Dispatcher).Run("):
			fanOut = true
		case strings.HasPrefix(frames, "github.com/qiao-community/qiao/bot.(*Dispatcher).runLane("),
			strings.HasPrefix(frames, "github.com/qiao-community/qiao/bot/wechat.(*Adapter).Send("):
			lane = true
		}
	}
	return fanOut && lane
}

func TestTooOftenBacksOffAndDelivers(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.FailSends(1205, 1205)
	w.fake.Say(building, "居民甲", "#建议 慢一点")
	w.message(1)
	// The suggestion's reply is refused twice; its notice to staff waits behind
	// the same pauses, since "too often" holds the whole account.
	replyAttempts := func() int {
		return w.count(`SELECT COALESCE(MAX(attempts), 0) FROM outbox WHERE chat_key = ?`, building)
	}
	deadline := time.Now().Add(patience)
	for replyAttempts() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("refusal 1 never recorded")
		}
		time.Sleep(time.Millisecond)
	}
	refused := w.clock.Now()
	// First refusal: pause 1 minute; the second: 2 minutes.
	for i, pause := range []time.Duration{time.Minute, 2 * time.Minute} {
		w.idle()
		w.clock.Set(refused.Add(pause - time.Second))
		w.idle()
		if got := len(w.fake.Sent()); got != 0 {
			t.Fatalf("sent %d messages during the %s pause", got, pause)
		}
		if n := replyAttempts(); n != i+1 {
			t.Fatalf("reply tried %d times during the %s pause, want %d", n, pause, i+1)
		}
		w.clock.Set(refused.Add(pause))
		// Once the pause is over the reply goes first, after at most the account's gap.
		gap := w.pacing.MinGap + w.pacing.Jitter + step
		w.until(gap, fmt.Sprintf("try %d of the reply", i+2), func() bool { return replyAttempts() > i+1 })
		if i == 0 && len(w.fake.Sent()) != 0 {
			t.Fatalf("sent %+v, want the second refusal", w.fake.Sent())
		}
		refused = w.clock.Now()
	}
	got := w.sent(1)
	if got[0].To != building || !strings.Contains(got[0].Content, "S1") {
		t.Fatalf("delivered %+v, want the reply first", got[0])
	}
	notice := w.deliveredTo(staff, 1)
	if !strings.Contains(notice[0].Content, "S1") {
		t.Fatalf("staff notice %+v", notice[0])
	}
	w.settled()
	if n := replyAttempts(); n != 3 {
		t.Fatalf("attempts recorded: %d, want 3 (two refusals, one delivery)", n)
	}
	if n := len(w.fake.Sent()); n != 2 {
		t.Fatalf("sent %d messages, want the reply and the staff notice once each", n)
	}
}

func TestSessionEndAlertsKeepsMessagesAndRecovers(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.EndSession(1101)
	e := w.event(bot.EventSessionEnded)
	if e.Err == nil || e.Since.IsZero() {
		t.Fatalf("session end %+v: want the reason and the time", e)
	}
	// While WeChat is away (push login waits for the phone), a reply is queued.
	w.fake.Say(building, "居民甲", "#建议 断线时")
	err := w.db.Update(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(bot.WeChat, building)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(storage.OutboxMessage{CommunityID: g.CommunityID, Platform: bot.WeChat, ChatKey: building, Text: "排队的通知"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w.engine.Wake()
	w.idle()
	if n := w.count(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`); n != 1 {
		t.Fatalf("pending messages during the outage: %d, want 1", n)
	}
	// Nobody confirms for a while: after stall_alert (10m) without a send, staff hear of it once.
	// The push login is given up after 2 minutes for a QR code.
	var stall *bot.ChannelEvent
	for i := 0; stall == nil; i++ {
		if i == 200 {
			t.Fatal("no stall alert after 50 minutes")
		}
		w.clock.Advance(15 * time.Second)
		w.idle()
		for drained := false; !drained; {
			select {
			case e := <-w.events:
				if e.Kind == bot.EventSendStalled {
					stall = &e
				}
			default:
				drained = true
			}
		}
	}
	if stall.Since.IsZero() || !errors.Is(stall.Err, wechat.ErrOffline) {
		t.Fatalf("stall %+v", stall)
	}
	w.fake.Scan() // someone scans the new QR code
	rec := w.event(bot.EventRecovered)
	if len(rec.Chats) != 2 || rec.Chats[0] != building && rec.Chats[1] != building || rec.Since.IsZero() {
		t.Fatalf("recovered %+v: want both groups and the outage start", rec)
	}
	if w.fake.Logins("qr") != 2 {
		t.Fatalf("QR logins: %d, want 2 (the push login was not confirmed)", w.fake.Logins("qr"))
	}
	w.clock.Advance(time.Minute)
	got := w.sent(1)
	if got[0].To != building || got[0].Content != "排队的通知" {
		t.Fatalf("after recovery sent %+v", got[0])
	}
	w.settled()
}

func TestPacingWithVirtualClock(t *testing.T) {
	w := newWorld(t)
	w.pacing = wechat.Pacing{MinGap: 1500 * time.Millisecond, GroupGap: 3 * time.Second, Jitter: 1500 * time.Millisecond, PerMinute: 4}
	w.qrLogin()
	err := w.db.Update(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(bot.WeChat, building)
		if err != nil {
			return err
		}
		for i := range 6 {
			chat := building
			if i%2 == 1 {
				chat = staff
			}
			if _, err := tx.Enqueue(storage.OutboxMessage{CommunityID: g.CommunityID, Platform: bot.WeChat, ChatKey: chat,
				Text: fmt.Sprintf("通知 %d", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.engine.Wake()
	var times []time.Time
	for step := 0; len(times) < 6 && step < 2000; step++ {
		w.idle()
		for n := len(w.fake.Sent()); len(times) < n; {
			times = append(times, w.clock.Now())
		}
		w.clock.Advance(100 * time.Millisecond)
	}
	if len(times) != 6 {
		t.Fatalf("sent %d of 6", len(times))
	}
	sent := w.fake.Sent()
	for i := 1; i < len(times); i++ {
		gap := times[i].Sub(times[i-1])
		if gap < 1500*time.Millisecond || (i != 4 && gap > 3*time.Second+100*time.Millisecond) {
			t.Errorf("gap before message %d: %s (want 1.5s–3s plus jitter, or the per-minute wait)", i, gap)
		}
		if sent[i].To == sent[i-1].To {
			t.Errorf("messages %d and %d both to %s", i-1, i, sent[i].To)
		}
	}
	for i := 2; i < len(times); i++ {
		if sent[i].To == sent[i-2].To && times[i].Sub(times[i-2]) < 3*time.Second {
			t.Errorf("two messages into %s within %s", sent[i].To, times[i].Sub(times[i-2]))
		}
	}
	if d := times[4].Sub(times[0]); d < time.Minute {
		t.Errorf("5th message %s after the 1st: the cap is 4 a minute", d)
	}
}

func TestRenamedGroupFoundByItsMembers(t *testing.T) {
	w := newWorld(t)
	r := w.qrLogin()
	r.stop()
	w.fake.Rename(building, "3栋邻里之家")
	w.start()
	e := w.event(bot.EventGroupRenamed)
	if e.Chat != building || e.Title != "3栋邻里之家" {
		t.Fatalf("renamed %+v", e)
	}
	w.fake.Say("3栋邻里之家", "居民丙", "#建议 改名以后")
	if m := w.message(1); m.Chat != building || m.ChatTitle != "3栋邻里之家" {
		t.Fatalf("message from the renamed group: %+v", m)
	}
	if got := w.sent(1); got[0].To != "3栋邻里之家" {
		t.Fatalf("reply went to %q", got[0].To)
	}
	if got := w.deliveredTo(staff, 1); !strings.Contains(got[0].Content, "改名以后") {
		t.Fatalf("staff notice %+v", got[0])
	}
	w.settled()
	if n := len(w.sentTo(building)); n != 0 {
		t.Fatalf("sent %d messages to the old title %s", n, building)
	}
}

func TestQuotingReplyIsAddressedToTheBot(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.Say(building, "居民甲", "#建议 多装路灯")
	reply := w.sent(1)[0]
	w.settled() // the adapter has recorded what it sent (a real quote comes seconds later)
	w.fake.SayQuoting(building, "居民乙", reply, "附议 <同意>")
	m := w.message(2)
	if m.Text != "附议 <同意>" || m.ReplyTo != reply.ID || !m.Addressed || m.User != "居民乙" {
		t.Fatalf("quoting reply reached the engine as %+v; want its text, ReplyTo %s, addressed", m, reply.ID)
	}
}

func TestDamagedLoginFileFallsBackToQR(t *testing.T) {
	w := newWorld(t)
	if err := os.WriteFile(filepath.Join(w.dir, "wechat-login.json"), []byte(`{"BaseRequest":null}`), 0o600); err != nil {
		t.Fatal(err)
	}
	w.qrLogin()
	w.fake.Say(building, "居民甲", "#建议 重新扫码之后")
	if got := w.sent(1); got[0].To != building {
		t.Fatalf("reply %+v", got[0])
	}
	data, err := os.ReadFile(filepath.Join(w.dir, "wechat-login.json"))
	if err != nil || !strings.Contains(string(data), `"wxsid"`) {
		t.Fatalf("the login file was not saved after the QR login: %s, %v", data, err)
	}
}

func TestUnconfiguredGroupIsIgnoredWithOneNotice(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	w.fake.Say("闲聊群", "居民甲", "#建议 这里不是楼栋群")
	w.fake.Say("闲聊群", "居民甲", "#建议 再说一次")
	w.message(2)
	got := w.sent(1)
	if got[0].To != staff || !strings.Contains(got[0].Content, "闲聊群") {
		t.Fatalf("notice %+v: want one note to staff naming the group", got[0])
	}
	w.settled()
	if n := len(w.fake.Sent()); n != 1 {
		t.Fatalf("sent %d messages, want only the one notice", n)
	}
}

func TestRenameWhileAwayIsPutToStaff(t *testing.T) {
	w := newWorld(t)
	r := w.qrLogin()
	r.stop()
	w.fake.RenameMember("居民乙", "乙乙")
	w.start()
	e := w.event(bot.EventMaybeRenamed)
	if e.Chat != building || e.Name != "居民乙" || e.Title != "乙乙" {
		t.Fatalf("event %+v: want 居民乙 → 乙乙 in %s", e, building)
	}
}

func TestPrivateChatWithAFriend(t *testing.T) {
	w := newWorld(t)
	w.fake.AddFriend("居民甲")
	w.qrLogin()
	w.fake.Say(building, "居民甲", "#建议 群里说的")
	w.sent(1)
	w.fake.SayPrivately("居民甲", "#建议 私下说的")
	m := w.message(2)
	if !m.Private || !m.Addressed || m.User != "居民甲" {
		t.Fatalf("private message %+v", m)
	}
	got := w.deliveredTo("居民甲", 1) // the account's pacing holds the reply a few seconds
	if len(got) != 1 || strings.HasPrefix(got[0].Content, "@") || !strings.Contains(got[0].Content, "S2") {
		t.Fatalf("private replies %+v: want S2 sent to 居民甲 once, without an @", got)
	}
	w.settled()
	if n := len(w.sentTo(building)); n != 1 {
		t.Fatalf("sent %d messages to %s, want the one reply to the group's suggestion", n, building)
	}
}

func TestLongTextSplitAndResumedAfterTooOften(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	first, second := strings.Repeat("甲", 1500), strings.Repeat("乙", 1500)
	err := w.db.Update(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(bot.WeChat, building)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(storage.OutboxMessage{CommunityID: g.CommunityID, Platform: bot.WeChat, ChatKey: building,
			Text: first + "\n" + second})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w.fake.FailSends(0, 1205) // the second part is refused once
	w.engine.Wake()
	for i := 0; len(w.fake.Sent()) < 2 && i < 400; i++ {
		w.idle()
		w.clock.Advance(time.Second)
		w.fake.WaitSent(2, 5*time.Millisecond)
	}
	got := w.sent(2)
	if len(got) != 2 || got[0].Content != first || got[1].Content != second {
		t.Fatalf("sent %d messages; want the two halves once each", len(got))
	}
	w.settled()
}

// patience is how long a test waits for something that should happen at once:
// a guard against hanging, generous because -race on two busy cores is slow.
const patience = time.Minute
