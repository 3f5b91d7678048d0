package prompts

import (
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"unicode/utf8"
)

var funcs = template.FuncMap{
	"mask":    Mask,
	"clip":    Clip,
	"percent": Percent,
	"join":    strings.Join,
	"inc":     func(i int) int { return i + 1 },
}

// digitRunRE finds runs of digits that may be separated by dashes or spaces
// (138-1234-5678, 138 1234 5678, +86 13812345678), ending in a digit or the
// X of an identity number.
var digitRunRE = regexp.MustCompile(`\+?\d[\d\- ]{5,}[\dXx]|\d{6,}`)

// Mask hides phone and identity numbers in text that is echoed into a group:
// mobiles keep their first 3 and last 4 digits (138****5678), landlines their
// area code and last 4, identity numbers (18 or 15 characters) their first 4
// and last 4, bank cards (16–19 digits) their last 4. Separators inside a
// number do not protect it; other numbers (dates, rooms, amounts) are left alone.
func Mask(s string) string {
	if !mayHoldNumber(s) {
		return s // no number to mask (the replacement would copy s all the same)
	}
	return digitRunRE.ReplaceAllStringFunc(s, func(run string) string {
		if m, ok := maskNumber(run); ok {
			return m
		}
		// "501 13812345678": mask the pieces one by one.
		parts := strings.Split(run, " ")
		for i, p := range parts {
			if m, ok := maskNumber(p); ok {
				parts[i] = m
			}
		}
		return strings.Join(parts, " ")
	})
}

// mayHoldNumber is a cheap necessary condition for a digitRunRE match: every
// match is a run of at least six bytes that are digits, spaces, dashes or an
// X. Most texts echoed ("3栋2单元", "(12)") have none, and the regexp's
// replacement costs a reply a dozen allocations.
func mayHoldNumber(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == ' ', c == '-', c == 'X', c == 'x':
			if run++; run >= 6 {
				return true
			}
		default:
			run = 0
		}
	}
	return false
}

// maskNumber masks one number if it is a phone, identity or card number.
func maskNumber(n string) (string, bool) {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == 'X' || r == 'x' {
			return r
		}
		return -1
	}, n)
	last := strings.ContainsAny(digits[:max(0, len(digits)-1)], "Xx")
	if last || digits == "" {
		return n, false
	}
	mobile := func(d string) bool { return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' }
	switch {
	case strings.HasPrefix(digits, "86") && mobile(digits[2:]):
		d := digits[2:]
		return "+86 " + d[:3] + "****" + d[7:], true
	case mobile(digits):
		return digits[:3] + "****" + digits[7:], true
	case len(digits) == 18 || len(digits) == 15 && !strings.ContainsAny(digits, "Xx"):
		return digits[:4] + strings.Repeat("*", len(digits)-8) + digits[len(digits)-4:], true
	case strings.ContainsAny(digits, "Xx"):
		return n, false
	case digits[0] == '0' && len(digits) >= 10 && len(digits) <= 12 && strings.Contains(n, "-"):
		area, _, _ := strings.Cut(n, "-")
		return area + "-****" + digits[len(digits)-4:], true
	case len(digits) >= 16 && len(digits) <= 19:
		return strings.Repeat("*", len(digits)-4) + digits[len(digits)-4:], true
	}
	return n, false
}

// Clip shortens s to at most n characters, marking the cut with "…".
func Clip(n int, s string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Percent formats part/whole as a percentage with one decimal ("97.2%"); "-" when whole is 0.
func Percent(part, whole int) string {
	if whole == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", float64(part)*100/float64(whole))
}
