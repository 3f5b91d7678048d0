package bot

import "time"

// ChannelEventKind names something about a channel (a platform connection)
// that staff should hear of.
type ChannelEventKind string

// Channel events an adapter may publish.
const (
	EventQR            ChannelEventKind = "qr"             // a QR code waits to be scanned (QRFile, URL)
	EventOnline        ChannelEventKind = "online"         // logged in (Account)
	EventSessionEnded  ChannelEventKind = "session_ended"  // the platform ended the session (Err, Since)
	EventLoginFailed   ChannelEventKind = "login_failed"   // a re-login attempt failed (Err, Retry, Since)
	EventSendStalled   ChannelEventKind = "send_stalled"   // nothing could be sent since Since (Err)
	EventRecovered     ChannelEventKind = "recovered"      // back after an outage since Since; Chats missed messages
	EventGroupRenamed  ChannelEventKind = "group_renamed"  // Chat's group is now called Title
	EventGroupMissing  ChannelEventKind = "group_missing"  // no group for Chat after login
	EventMemberRenamed ChannelEventKind = "member_renamed" // Name is now called Title (same person)
	EventMaybeRenamed  ChannelEventKind = "maybe_renamed"  // in Chat, Name left and Title joined since the last login
	// Identity and refusals (WeChat).
	EventEnrolled       ChannelEventKind = "enrolled"        // the contact Title is now Name (remark Account)
	EventEnrolFailed    ChannelEventKind = "enrol_failed"    // Title sent an unknown or expired enrolment code
	EventNameClaimed    ChannelEventKind = "name_claimed"    // someone not enrolled uses the privileged name Name
	EventGroupUnbound   ChannelEventKind = "group_unbound"   // a group called Title (like Chat) was not bound: staff must #绑定群
	EventGroupAmbiguous ChannelEventKind = "group_ambiguous" // several groups are called like Chat; none was bound
	EventRefused        ChannelEventKind = "refused"         // the platform refuses this account (Err); no more attempts
	EventGaveUp         ChannelEventKind = "gave_up"         // kicked Retry times in a row soon after login; no more attempts
	EventDisplaced      ChannelEventKind = "displaced"       // another process took the connection over (Since); this one stopped
)

// ChannelEvent is a platform-neutral notice from an adapter about its
// connection. Adapters publish it; a handler decides who hears of it.
type ChannelEvent struct {
	Platform string
	Kind     ChannelEventKind
	At       time.Time // when the adapter saw it
	Chat     string    // configured chat key concerned
	Title    string    // a group's current title, or a person's new name
	Name     string    // a person's earlier name
	Chats    []string  // EventRecovered: the chats whose messages during the outage were lost
	Since    time.Time // start of an outage or stall
	Retry    time.Duration
	Account  string
	QRFile   string
	URL      string
	Err      error
}

// EventSink receives channel events. Publish must return at once and must not
// touch storage on the caller's goroutine: adapters publish from their login
// loop, their receive callbacks and the dispatcher's send path.
type EventSink interface {
	Publish(ChannelEvent)
}
