package requests

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

// TestCorpus measures the free-text rules on the labelled corpus: it prints
// precision and recall per kind and fails below 90% accuracy or when more than
// 5% of chit-chat would prompt the group.
func TestCorpus(t *testing.T) {
	acc, flagged, total := measure(t, "testdata/corpus.txt")
	if total < 150 {
		t.Fatalf("corpus has %d messages, want at least 150", total)
	}
	if acc < 90 {
		t.Errorf("accuracy %.1f%% is below 90%%", acc)
	}
	if flagged > 5 {
		t.Errorf("%.1f%% of chit-chat flagged, more than 5%%", flagged)
	}
}

// TestHoldout only reports: the hold-out set estimates accuracy on text the
// rules were not tuned on, and must not be used to tune them.
func TestHoldout(t *testing.T) {
	if _, _, total := measure(t, "testdata/holdout.txt"); total == 0 {
		t.Fatal("empty hold-out set")
	}
}

// measure classifies a labelled file (KIND<TAB>TEXT lines), logs the misses
// and precision and recall per kind, and returns the accuracy and the share of
// chit-chat flagged, in percent, and the number of messages.
func measure(t *testing.T, path string) (acc, flagged float64, total int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rules := DefaultIntakeRules()
	type count struct{ tp, fp, fn int }
	counts := map[string]*count{}
	kinds := []string{"repair", "complaint", "suggestion", "need", "none"}
	for _, k := range kinds {
		counts[k] = &count{}
	}
	correct, chat, chatFlagged := 0, 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		want, text, ok := strings.Cut(line, "\t")
		if !ok || counts[want] == nil {
			t.Fatalf("%s: bad line %q", path, line)
		}
		got := rules.Kind(bot.Normalize(text))
		if got == "" {
			got = "none"
		}
		total++
		if want == "none" {
			chat++
			if got != "none" {
				chatFlagged++
			}
		}
		if got == want {
			correct++
			counts[want].tp++
			continue
		}
		counts[want].fn++
		counts[got].fp++
		t.Logf("want %-10s got %-10s %s", want, got, text)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var report strings.Builder
	for _, k := range kinds {
		c := counts[k]
		fmt.Fprintf(&report, "%-10s precision %5.1f%%  recall %5.1f%%  (n=%d)\n", k,
			pct(c.tp, c.tp+c.fp), pct(c.tp, c.tp+c.fn), c.tp+c.fn)
	}
	acc, flagged = pct(correct, total), pct(chatFlagged, chat)
	fmt.Fprintf(&report, "%s: accuracy %.1f%% (%d/%d); chit-chat flagged %.1f%% (%d/%d)", path, acc, correct, total, flagged, chatFlagged, chat)
	t.Log("\n" + report.String())
	return acc, flagged, total
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return float64(a) * 100 / float64(b)
}
