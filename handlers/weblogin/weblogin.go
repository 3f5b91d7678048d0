// Package weblogin serves #登录: a staff member asks in chat and gets, privately,
// a one-time link to the staff web page. A link is HMAC-SHA256 signed with a
// key generated on first use and kept in the database, expires after ten
// minutes, is bound to the person and works once (the database records its
// use). The web server redeems links with Redeem.
package weblogin

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// LinkTTL is how long a login link works.
const LinkTTL = 10 * time.Minute

// keyName is where the signing key lives in the kv table.
const keyName = "web.link_key"

// ErrBadLink is a link that is forged, expired, used or someone else's.
var ErrBadLink = errors.New("weblogin: invalid or expired link")

// Handlers serves #登录.
type Handlers struct {
	// BaseURL is the page's address as staff reach it ("" when the web page is off).
	BaseURL func() string
}

// Login answers #登录: the link goes to the person privately; in a group the
// group is only told to look there.
func (h *Handlers) Login(c *bot.Context) error {
	base := ""
	if h.BaseURL != nil {
		base = h.BaseURL()
	}
	if base == "" {
		return bot.Refuse(prompts.WebOff, nil)
	}
	token, err := Issue(c.Tx, c.Person.ID, c.Now())
	if err != nil {
		return err
	}
	link := strings.TrimSuffix(base, "/") + "/login?t=" + url.QueryEscape(token)
	post := bot.Post{Template: prompts.WebLoginLink, Data: map[string]any{"URL": link, "Minutes": int(LinkTTL / time.Minute)}}
	if c.Group == nil {
		return c.ReplyPost(post)
	}
	if err := c.Notify(c.Person, post); err != nil {
		return err
	}
	return c.Reply(prompts.WebLoginSentPrivately, nil)
}

// Issue makes a one-time login link token for a person and records it.
func Issue(tx *storage.Tx, personID int64, now time.Time) (string, error) {
	key, err := signingKey(tx)
	if err != nil {
		return "", err
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	nonce := hex.EncodeToString(raw[:])
	expires := now.Add(LinkTTL)
	if err := tx.CreateWebLink(nonce, personID, expires); err != nil {
		return "", err
	}
	payload := fmt.Sprintf("%d.%d.%s", personID, expires.Unix(), nonce)
	return enc(payload) + "." + enc(string(sign(key, payload))), nil
}

// Redeem checks a link token and uses it up, returning the person it was made
// for. Every failure is ErrBadLink: the page says no more than "invalid".
func Redeem(tx *storage.Tx, token string, now time.Time) (int64, error) {
	p64, s64, ok := strings.Cut(token, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	sig, err2 := base64.RawURLEncoding.DecodeString(s64)
	if !ok || err1 != nil || err2 != nil {
		return 0, ErrBadLink
	}
	key, err := existingKey(tx)
	if err != nil {
		return 0, err
	}
	if key == nil || !hmac.Equal(sig, sign(key, string(payload))) {
		return 0, ErrBadLink
	}
	parts := strings.Split(string(payload), ".")
	if len(parts) != 3 {
		return 0, ErrBadLink
	}
	person, err1 := strconv.ParseInt(parts[0], 10, 64)
	expires, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || !now.Before(time.Unix(expires, 0)) {
		return 0, ErrBadLink
	}
	used, err := tx.UseWebLink(parts[2], person, now)
	if err != nil {
		return 0, err
	}
	if !used {
		return 0, ErrBadLink
	}
	return person, nil
}

func enc(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func sign(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// signingKey returns the link key, generating and storing it on first use.
func signingKey(tx *storage.Tx) ([]byte, error) {
	key, err := existingKey(tx)
	if err != nil || key != nil {
		return key, err
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return key, tx.SetValue(keyName, hex.EncodeToString(key))
}

// existingKey returns the stored key, or nil when none was made yet.
func existingKey(tx *storage.Tx) ([]byte, error) {
	v, err := tx.Value(keyName)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}
