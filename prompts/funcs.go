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

var (
	// Mainland mobile numbers, optionally +86; landlines with an area code.
	phoneRE = regexp.MustCompile(`(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}-\d{7,8}`)
	// Resident identity card numbers: 17 digits and a check digit or X.
	idRE = regexp.MustCompile(`\d{17}[\dXx]`)
)

// Mask hides phone and identity numbers in text that is echoed into a group.
func Mask(s string) string {
	s = idRE.ReplaceAllStringFunc(s, func(m string) string { return m[:4] + strings.Repeat("*", len(m)-8) + m[len(m)-4:] })
	return phoneRE.ReplaceAllStringFunc(s, func(m string) string {
		digits := []rune(m)
		if len(digits) < 8 {
			return m
		}
		return string(digits[:len(digits)-8]) + "****" + string(digits[len(digits)-4:])
	})
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
