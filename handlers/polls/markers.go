package polls

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// An option marker is the numbering before an option: "A.", "B、", "1)", "(2)",
// "（三）", "①", "⑵", "❸", "选项一：", "一、". Markers count from one; the longest
// run that counts 1, 2, 3 … through the text is the numbering, so a stray "3、"
// in a title does not split it.
var markerRE = regexp.MustCompile(
	`选项\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[:：.．、]?` +
		`|[(（]\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3}|[A-Za-z])\s*[)）]` +
		`|([①-⑳⑴-⒇❶-❿➀-➉])` +
		`|(?:^|[\s\p{P}])([A-Za-z]|[0-9]{1,2}|[一二三四五六七八九十]{1,2})\s*[.．、,，:：)）]`)

type marker struct {
	start, end int // byte offsets of the numbering in the line
	n          int // its ordinal: A and 1 and ① are all 1
}

// markers finds the option numbering of a line.
func markers(line string) []marker {
	var all []marker
	for _, m := range markerRE.FindAllStringSubmatchIndex(line, -1) {
		start := m[0]
		var n int
		switch {
		case m[2] >= 0:
			n = ordinal(line[m[2]:m[3]])
		case m[4] >= 0:
			n = ordinal(line[m[4]:m[5]])
		case m[6] >= 0:
			n = circled(line[m[6]:m[7]])
		case m[8] >= 0:
			start = m[8]
			n = ordinal(line[m[8]:m[9]])
			if isDigits(line[m[8]:m[9]]) && !markerFollows(line, m[1]) {
				continue
			}
		}
		if n > 0 {
			all = append(all, marker{start: start, end: m[1], n: n})
		}
	}
	return all
}

// markerFollows reports whether "1." or "A," numbers an option rather than
// starting a number: "1.5米", "1,000元", "20:00" are not numbering.
func markerFollows(line string, end int) bool {
	punct, _ := utf8.DecodeLastRuneInString(line[:end])
	next, _ := utf8.DecodeRuneInString(line[end:])
	return !(strings.ContainsRune(".,:", punct) && next >= '0' && next <= '9')
}

// chain picks the numbering: the longest run of markers counting up from one
// (the earliest on a tie).
func chain(all []marker) []marker {
	var best []marker
	for i, m := range all {
		if m.n != 1 {
			continue
		}
		run := []marker{m}
		for _, next := range all[i+1:] {
			if next.n == run[len(run)-1].n+1 && next.start >= run[len(run)-1].end {
				run = append(run, next)
			}
		}
		if len(run) > len(best) {
			best = run
		}
	}
	if len(best) == 0 {
		return nil
	}
	return best
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

var cnOrdinal = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// ordinal reads A (1), b (2), 12, 三, 十二.
func ordinal(s string) int {
	s = strings.TrimSpace(s)
	if len(s) == 1 && (s[0]|0x20) >= 'a' && (s[0]|0x20) <= 'z' {
		return int(s[0]|0x20) - 'a' + 1
	}
	if n := atoi(s); n > 0 {
		return n
	}
	runes := []rune(s)
	switch {
	case len(runes) == 1 && runes[0] == '十':
		return 10
	case len(runes) == 1:
		return cnOrdinal[runes[0]]
	case len(runes) == 2 && runes[0] == '十':
		return 10 + cnOrdinal[runes[1]]
	case len(runes) == 2 && runes[1] == '十':
		return 10 * cnOrdinal[runes[0]]
	case len(runes) == 3 && runes[1] == '十':
		return 10*cnOrdinal[runes[0]] + cnOrdinal[runes[2]]
	}
	return 0
}

// circled reads ① … ⑳, ⑴ … ⒇, ❶ … ❿, ➀ … ➉.
func circled(s string) int {
	r, _ := utf8.DecodeRuneInString(s)
	for _, base := range []rune{'①', '⑴', '❶', '➀'} {
		if r >= base && r < base+20 {
			return int(r-base) + 1
		}
	}
	return 0
}
