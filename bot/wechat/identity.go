package wechat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/eatmoreapple/openwechat"

	"github.com/qiao-community/qiao/bot"
)

// Who is who on web WeChat. @ ids change at every login and nicknames are
// free, so a name proves nothing. A privileged person (staff, admin, captain,
// grid worker, department) is recognised only through an enrolment they
// cannot fake: a one-time code issued on the server (`qiao enrol`), sent by
// them to the bot in a private chat. That binds their contact for this login
// (its @ id) and, where WeChat lets the bot set it, the remark name the bot
// account gives them ("qiao:" + their key), which comes back at every login
// and which only the bot account can change. Anyone else whose name equals a
// privileged person's is an ordinary resident under a key of their own.
const (
	// RemarkPrefix starts the remark name of an enrolled friend. The operator
	// may also set it on the bot's phone where the web protocol cannot.
	RemarkPrefix = "qiao:"
	// UnverifiedPrefix starts the key of someone who uses a privileged
	// person's name without being them.
	UnverifiedPrefix = "未认证:"
	keyEnrol         = "wechat:enrol:"    // + sha256 of a code → JSON Enrolment ("" once used)
	keyImpostor      = "wechat:impostor:" // + name → "1" once staff were told
	keySelfWxid      = "wechat:self_wxid" // the bot account's wxid, learnt from a quote
	maxCodeTries     = 5                  // wrong codes a contact may send per login
)

// Enrolment is a pending one-time code, stored under its hash.
type Enrolment struct {
	User    string `json:"user"`    // the WeChat user key it binds to
	Expires int64  `json:"expires"` // unix seconds
}

// codeAlphabet leaves out letters and digits that are easily confused.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

var codePattern = regexp.MustCompile(`(?i)\bQIAO-[A-Z0-9]{4}-[A-Z0-9]{4}\b`)

// NewEnrolCode makes a random code "QIAO-XXXX-XXXX" (40 bits).
func NewEnrolCode() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	out := []byte("QIAO-")
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return string(out)
}

// EnrolKey is the store key of a code: only its hash is kept.
func EnrolKey(code string) string {
	sum := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(code))))
	return keyEnrol + hex.EncodeToString(sum[:])
}

// EncodeEnrolment is what is stored under EnrolKey.
func EncodeEnrolment(user string, expires time.Time) string {
	data, _ := json.Marshal(Enrolment{User: user, Expires: expires.Unix()})
	return string(data)
}

// enrolCode finds a code in a private message.
func enrolCode(text string) (string, bool) {
	code := codePattern.FindString(text)
	return code, code != ""
}

// enrol redeems a code sent privately by sender. It runs on the sync goroutine.
func (a *Adapter) enrol(ctx context.Context, s *session, sender *openwechat.User, code string) {
	id := sender.UserName
	a.mu.Lock()
	s.tries[id]++
	tries := s.tries[id]
	a.mu.Unlock()
	name := displayName(sender)
	if tries > maxCodeTries {
		a.Log.Warn("wechat: enrolment code ignored, too many tries", "name", name)
		return
	}
	key := EnrolKey(code)
	data, _ := a.Store.Load(ctx, key)
	var e Enrolment
	if json.Unmarshal([]byte(data), &e) != nil || e.User == "" || a.Clock.Now().Unix() > e.Expires {
		a.Log.Warn("wechat: unknown or expired enrolment code", "name", name)
		a.report(bot.ChannelEvent{Kind: bot.EventEnrolFailed, Title: name})
		return
	}
	if err := a.Store.Save(ctx, key, ""); err != nil { // used up
		a.Log.Error("wechat: enrolment", "err", err)
		return
	}
	a.mu.Lock()
	s.bound[id], s.people[id], s.names[id], s.friends[e.User] = e.User, e.User, personKey(sender), id
	a.mu.Unlock()
	// Reported to fail silently on real WeChat since 2023: the operator is
	// then asked to set the remark on the phone (see the alert).
	remark := RemarkPrefix + e.User
	if err := s.self.SetRemarkNameToFriend(&openwechat.Friend{User: sender}, remark); err != nil {
		a.Log.Warn("wechat: set remark name", "err", err)
	}
	a.Log.Info("wechat: contact enrolled", "user", e.User, "name", name)
	a.report(bot.ChannelEvent{Kind: bot.EventEnrolled, Name: e.User, Title: name, Account: remark})
}

// boundKey is the person key of an enrolled friend, from the remark name the
// bot account gave them ("" if none or not a configured privileged person).
func boundKey(u *openwechat.User, privileged map[string]bool) string {
	key, ok := strings.CutPrefix(strings.TrimSpace(u.RemarkName), RemarkPrefix)
	if !ok || !privileged[key] {
		return ""
	}
	return key
}

// privileged is the set of WeChat user keys that carry more than a resident's roles.
func (a *Adapter) privileged(ctx context.Context) map[string]bool {
	if a.Privileged == nil {
		return map[string]bool{}
	}
	keys, err := a.Privileged(ctx)
	if err != nil {
		a.Log.Error("wechat: privileged people", "err", err)
		return map[string]bool{}
	}
	set := make(map[string]bool, len(keys))
	for _, k := range keys {
		set[k] = true
	}
	return set
}

// claimed is the key for someone not enrolled whose name is a privileged
// person's: an ordinary resident of their own. Staff hear of it once.
func (a *Adapter) claimed(ctx context.Context, name string) string {
	if seen, _ := a.Store.Load(ctx, keyImpostor+name); seen == "" {
		_ = a.Store.Save(ctx, keyImpostor+name, "1")
		a.Log.Warn("wechat: someone not enrolled uses a privileged name", "name", name)
		a.report(bot.ChannelEvent{Kind: bot.EventNameClaimed, Name: name})
	}
	return UnverifiedPrefix + name
}

// burn voids a code that was posted in a group, where others saw it.
func (a *Adapter) burn(ctx context.Context, code, name string) {
	key := EnrolKey(code)
	if data, _ := a.Store.Load(ctx, key); data != "" {
		_ = a.Store.Save(ctx, key, "")
	}
	a.Log.Warn("wechat: enrolment code posted in a group, voided", "name", name)
	a.report(bot.ChannelEvent{Kind: bot.EventEnrolFailed, Title: name})
}
