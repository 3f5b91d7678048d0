package telegram

import "strings"

// editText is the new text of a message that holds a post's text after skip
// parts (0: the whole post was one message). A long post was split and its
// last message carries the buttons and the tally, so that message gets the
// new text's rest, not its beginning. A text that outgrew one message keeps
// its head and its end (where a tally's turnout is) and drops the middle, so
// the edit still shows what changed.
func editText(text string, skip int) string {
	parts := split(text, maxText)
	rest := parts[len(parts)-1]
	if skip < len(parts) {
		rest = strings.Join(parts[skip:], "\n")
	}
	return squeeze(rest, maxText)
}

// gap marks the lines squeeze leaves out.
const gap = "\n…\n"

// squeeze fits s into limit UTF-16 units by cutting lines out of its middle:
// the end (up to a third of the limit) and as much of the head as fits stay.
func squeeze(s string, limit int) string {
	if utf16Len(s) <= limit {
		return s
	}
	room := limit - utf16Len(gap)
	tail := s
	for utf16Len(tail) > room/3 {
		i := strings.IndexByte(tail, '\n')
		if i < 0 {
			tail = truncateFront(tail, room/3)
			break
		}
		tail = tail[i+1:]
	}
	head, _ := cutUTF16(s, room-utf16Len(tail))
	if i := strings.LastIndexByte(head, '\n'); i > 0 {
		head = head[:i]
	}
	return head + gap + tail
}

// truncateFront keeps the last limit UTF-16 units of s, at a rune boundary.
func truncateFront(s string, limit int) string {
	r := []rune(s)
	n := 0
	for i := len(r) - 1; i >= 0; i-- {
		if n += utf16Len(string(r[i])); n > limit {
			return string(r[i+1:])
		}
	}
	return s
}
