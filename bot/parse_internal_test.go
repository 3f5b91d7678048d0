package bot

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// referenceNormalize is Normalize as it was before its fast paths: every
// replacer and the line split run on every text.
func referenceNormalize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	s = invisible.r.Replace(s)
	s = norm.NFKC.String(s)
	s = norm.NFKC.String(punctFold.r.Replace(s))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// TestNormalizeFastPathsChangeNothing: texts built from the pieces each
// replacer and the trimming look for, at random (a fixed seed), normalise as
// they did before the fast paths.
func TestNormalizeFastPathsChangeNothing(t *testing.T) {
	pieces := []string{"a", "报修", " ", "  ", "\n", "\r\n", "\r", "\t", "、", "。", "《", "\u0338", "》", "“", "”",
		"\u200b", "\u202e", "\x00", "\xff", "＃", "３", "　", "～", "—", "e", "\u0301", "#", "/", "😂"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := Normalize(s), referenceNormalize(s); got != want {
			t.Fatalf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
}
