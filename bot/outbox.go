package bot

import (
	"fmt"
	"time"

	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Post is a message to enqueue: a template and its data, and how to send it.
type Post struct {
	Template  string
	Data      any
	Buttons   [][]Button
	Mention   *storage.Person  // address this person in the group
	Also      []storage.Person // and these, in the same post (after Mention)
	Ref       string           // name this message so a later one can edit it
	EditRef   string           // edit the message named by this ref; where the platform cannot edit, nothing is sent
	DedupeKey string           // at most one message with this key, ever (scheduled notices)
	NotBefore time.Time        // not before this time (coalesced acknowledgements)
	Lang      string           // render in this language instead of the recipient's
	// CallbackID is the button press this answers; a platform with toasts may
	// show the text there instead of posting it.
	CallbackID string
	// Scrub marks a secret post (an anonymous ballot's receipt): its stored text
	// is blanked once delivered and deleted by storage.Tx.ScrubOutbox(Scrub).
	Scrub string
	// BlobID is a stored picture or file to send with the text (0: none).
	BlobID int64
	// Expires: never sent after this (zero: no limit): a reminder pointless late.
	Expires time.Time
}

// Outbox renders posts and enqueues them on a transaction. Handlers reach it
// through Context; scheduled jobs use it directly.
type Outbox struct {
	Prompts *prompts.Set
	// DefaultLang is used when neither the recipient nor the community has one.
	DefaultLang string
}

// Render renders a template in a language.
func (o *Outbox) Render(lang, name string, data any) (string, error) {
	return o.Prompts.Render(lang, name, data)
}

// ToGroup enqueues a post into a group, in the group's language (or the
// community's) unless the post names one. It returns storage.ErrDuplicate when
// the post's dedupe key was used before.
func (o *Outbox) ToGroup(tx *storage.Tx, g storage.Group, p Post) error {
	lang := p.Lang
	if lang == "" {
		lang = o.GroupLang(tx, g)
	}
	m := storage.OutboxMessage{CommunityID: g.CommunityID, Platform: g.Platform, ChatKey: g.ChatKey}
	if p.Mention != nil {
		m.UserKey, m.UserName = p.Mention.UserKey, p.Mention.Name
		for _, a := range p.Also {
			m.Also = append(m.Also, storage.Mention{Key: a.UserKey, Name: a.Name})
		}
	}
	return o.enqueue(tx, lang, m, p)
}

// ToPerson enqueues a direct message to a person in their language.
func (o *Outbox) ToPerson(tx *storage.Tx, person storage.Person, p Post) error {
	lang := firstNonEmpty(p.Lang, person.Lang)
	if p.Lang == "" && person.Lang == "" {
		lang = firstNonEmpty(o.communityLang(tx, person.CommunityID))
	}
	m := storage.OutboxMessage{CommunityID: person.CommunityID, Platform: person.Platform, UserKey: person.UserKey, UserName: person.Name}
	return o.enqueue(tx, lang, m, p)
}

func (o *Outbox) enqueue(tx *storage.Tx, lang string, m storage.OutboxMessage, p Post) error {
	text, err := o.Prompts.Render(lang, p.Template, p.Data)
	if err != nil {
		return err
	}
	if text == "" {
		return fmt.Errorf("outbox: template %s rendered empty", p.Template)
	}
	m.Text = text
	m.Ref, m.EditRef, m.DedupeKey, m.NotBefore, m.CallbackID = p.Ref, p.EditRef, p.DedupeKey, p.NotBefore, p.CallbackID
	m.ScrubKey = p.Scrub
	m.BlobID = p.BlobID
	m.ExpiresAt = p.Expires
	for _, row := range p.Buttons {
		var r []storage.Button
		for _, b := range row {
			r = append(r, storage.Button{Text: b.Text, Data: b.Data})
		}
		m.Buttons = append(m.Buttons, r)
	}
	_, err = tx.Enqueue(m)
	return err
}

// GroupLang is the language posts into a group are written in: the group's, or
// its community's (for parts of a post rendered ahead, such as button labels).
func (o *Outbox) GroupLang(tx *storage.Tx, g storage.Group) string {
	if g.Lang != "" {
		return g.Lang
	}
	return firstNonEmpty(o.communityLang(tx, g.CommunityID)) // looked up only when needed
}

func (o *Outbox) communityLang(tx *storage.Tx, communityID int64) string {
	if communityID == 0 {
		return o.DefaultLang
	}
	c, err := tx.FindCommunity(communityID)
	if err != nil || c.Lang == "" {
		return o.DefaultLang
	}
	return c.Lang
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return prompts.Default
}
