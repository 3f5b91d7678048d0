// Package jielong reads WeChat's 接龙 (group note) from plain chat: the text
// form that starts with "#接龙" ("#Group Note" in English clients) and the app
// message whose title carries the same text. It keeps one canonical list per
// 接龙 (group, title, day), merges every re-post, notices a line lost when two
// people re-posted from the same base, closes at a deadline and exports.
package jielong

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Markers that open a 接龙 in WeChat's text, matched case-insensitively.
var markers = []string{"#接龙", "#group note", "#接龍"}

// Note is a parsed 接龙 post.
type Note struct {
	Prefix      string // text before the marker on its line ("@小桥 打卡")
	Title       string // the first line of the description
	Description string // every description line, the title included
	Example     string // the "例 …" line(s), if any
	Entries     []Entry
}

// Entry is one numbered line ("3. 张三 2人 带娃").
type Entry struct {
	Number int    // as written; WeChat renumbers, so it is not an identity
	Text   string // the line without its number; continuation lines joined with "\n"
	Name   string // who signed: the first word
	Count  int    // people it stands for (2人, 2大1小); 1 when not said
	Note   string // the rest after the name
}

var (
	numberedLine = regexp.MustCompile(`^\s*(\d{1,3})\s*([.、)．])\s*(.*)$`)
	bigSmall     = regexp.MustCompile(`(\d+)\s*大\s*(\d+)\s*小`)
	persons      = regexp.MustCompile(`(\d+)\s*(?:个人|人|位|口|名)`)
	plusN        = regexp.MustCompile(`[+＋]\s*(\d+)`)
)

// markerLine finds the marker on the first non-empty line: the text before
// and after it, and the rest of the text after that line.
func markerLine(text string) (line string, at int, ok bool) {
	first := strings.TrimSpace(text)
	first, _, _ = strings.Cut(first, "\n")
	lower := strings.ToLower(first)
	for _, m := range markers {
		if i := strings.Index(lower, m); i >= 0 {
			return first, i, true
		}
	}
	return "", 0, false
}

// Parse reads a 接龙 post; ok is false when text is not one (no marker on
// its first line) or has no title.
func Parse(text string) (Note, bool) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\u2005", " ")
	line, at, ok := markerLine(text)
	if !ok {
		return Note{}, false
	}
	var n Note
	n.Prefix = strings.TrimSpace(line[:at])
	after := line[at:]
	for _, m := range markers {
		if strings.HasPrefix(strings.ToLower(after), m) {
			after = after[len(m):]
			break
		}
	}
	var desc, example []string
	if t := strings.TrimSpace(after); t != "" {
		desc = append(desc, t)
	}
	_, body, _ := strings.Cut(strings.TrimSpace(text), "\n")
	inExample := false
	for _, raw := range strings.Split(body, "\n") {
		l := strings.TrimSpace(raw)
		if num, rest, ok := entryLine(l, len(n.Entries) == 0); ok {
			n.Entries = append(n.Entries, Entry{Number: num, Text: rest})
			continue
		}
		switch {
		case len(n.Entries) > 0:
			if l != "" { // a continuation of the entry above (details on their own line)
				e := &n.Entries[len(n.Entries)-1]
				e.Text = strings.TrimSpace(e.Text + "\n" + l)
			}
		case l == "":
			inExample = false
		case isExample(l):
			inExample = true
			example = append(example, l)
		case inExample:
			example = append(example, l)
		default:
			desc = append(desc, l)
		}
	}
	kept := n.Entries[:0]
	for _, e := range n.Entries {
		if e.Text == "" {
			continue // an empty "3." someone left for the next person
		}
		e.Name, e.Note = splitName(e.Text)
		e.Count = count(e.Text)
		kept = append(kept, e)
	}
	n.Entries = kept
	n.Description = strings.Join(desc, "\n")
	n.Example = strings.Join(example, "\n")
	if len(desc) > 0 {
		n.Title = titleOf(desc[0])
	}
	if n.Title == "" {
		n.Title = n.Prefix // "打卡#接龙" with nothing after: the prefix names it
	}
	return n, n.Title != ""
}

// entryLine reads "3. 张三": a number, a separator and the entry. "8.7" (a
// date) is no entry, and the list starts at 1, so a description line such
// as "2. 带好身份证" before it stays in the description.
func entryLine(l string, first bool) (int, string, bool) {
	m := numberedLine.FindStringSubmatch(l)
	if m == nil {
		return 0, "", false
	}
	num, _ := strconv.Atoi(m[1])
	rest := m[3]
	if m[2] == "." && rest != "" && rest[0] >= '0' && rest[0] <= '9' && !strings.HasPrefix(l[len(m[1]):], ". ") {
		return 0, "", false
	}
	if first && num != 1 {
		return 0, "", false
	}
	return num, strings.TrimSpace(rest), true
}

// titleOf is a description's first line without its deadline ("周六义诊报名
// 截止周五18:00" is "周六义诊报名"), so that moving the deadline keeps the list.
func titleOf(line string) string {
	for _, mark := range []string{"（截止", "(截止", "截止"} {
		if before, _, ok := strings.Cut(line, mark); ok && strings.TrimSpace(before) != "" {
			return strings.TrimRight(strings.TrimSpace(before), ",，;；")
		}
	}
	return line
}

func isExample(l string) bool {
	lower := strings.ToLower(l)
	return strings.HasPrefix(l, "例") || strings.HasPrefix(lower, "example") || strings.HasPrefix(lower, "e.g")
}

// splitName takes the first word of an entry as the name: up to a space, a
// comma, a dash or a bracket.
func splitName(text string) (name, note string) {
	first, _, _ := strings.Cut(text, "\n")
	i := strings.IndexFunc(first, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",，-—(（[【:：/", r)
	})
	if i < 0 {
		return first, strings.TrimSpace(text[len(first):])
	}
	name = first[:i]
	note = strings.TrimLeft(strings.TrimSpace(text[i:]), ",，-—:：/ ")
	if name == "" { // "(3栋) 张三": nothing before the bracket
		return strings.TrimSpace(first), strings.TrimSpace(text[len(first):])
	}
	return name, note
}

// count is how many people an entry stands for: "2大1小" is 3, "2人" 2,
// "+1" one more than the signer; 1 when not said.
func count(text string) int {
	if m := bigSmall.FindStringSubmatch(text); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		return clamp(a + b)
	}
	if m := persons.FindStringSubmatch(text); m != nil {
		a, _ := strconv.Atoi(m[1])
		return clamp(a)
	}
	if m := plusN.FindStringSubmatch(text); m != nil {
		a, _ := strconv.Atoi(m[1])
		return clamp(a + 1)
	}
	return 1
}

// clamp keeps a typed count sane: "0人" is one signer, "100人" no more than 50.
func clamp(n int) int {
	return max(1, min(n, 50))
}

// Key is the identity of an entry across re-posts: its name, folded. WeChat
// renumbers lines and people edit their notes, but keep their name.
func Key(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), ""))
}
