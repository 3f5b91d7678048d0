package prompts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/prompts"
)

func TestEmbeddedLanguagesAreComplete(t *testing.T) {
	s, err := prompts.Load("")
	if err != nil {
		t.Fatal(err)
	}
	zh, en := s.Names("zh-CN"), s.Names("en")
	if len(zh) == 0 || strings.Join(zh, ",") != strings.Join(en, ",") {
		t.Fatalf("zh-CN and en define different blocks:\n%v\n%v", zh, en)
	}
}

func TestUserTextIsNeverTemplateSource(t *testing.T) {
	s := prompts.MustLoad()
	for _, evil := range []string{"{{.}}", `{{template "core.internal_error"}}`, "{{.Text}}{{end}}", "<b>&</b>"} {
		got, err := s.Render("zh-CN", prompts.RequestsCreated, createdData(evil))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got, evil) {
			t.Errorf("%q rendered as %q", evil, got)
		}
	}
}

func TestMissingDataIsAnError(t *testing.T) {
	s := prompts.MustLoad()
	if _, err := s.Render("zh-CN", prompts.RequestsCreated, map[string]any{"ID": "S1"}); err == nil {
		t.Fatal("rendering without .Text succeeded; a reply would say <no value>")
	}
	if _, err := s.Render("zh-CN", "no.such.block", nil); err == nil {
		t.Fatal("rendering an unknown block succeeded")
	}
}

func TestLanguageFallback(t *testing.T) {
	s := prompts.MustLoad()
	en, _ := s.Render("en-US", prompts.LangSet, nil)
	other, _ := s.Render("fr", prompts.LangSet, nil)
	zh, _ := s.Render("zh-CN", prompts.LangSet, nil)
	if !strings.Contains(en, "English") || other != zh {
		t.Errorf("en-US → %q; fr → %q (want the zh-CN text %q)", en, other, zh)
	}
}

func TestOverrideFolder(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "zh-CN"), 0o755)
	os.WriteFile(filepath.Join(dir, "zh-CN", "mine.tmpl"), []byte(`{{define "core.lang_set"}}好嘞，说中文。{{end}}`), 0o644)
	s, err := prompts.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Render("zh-CN", prompts.LangSet, nil); got != "好嘞，说中文。" {
		t.Errorf("override not used: %q", got)
	}
	if got, _ := s.Render("en", prompts.LangSet, nil); !strings.Contains(got, "English") {
		t.Errorf("en changed: %q", got)
	}
	// The embedded set is shared by every Load(""): an override must not reach it.
	if got, _ := prompts.MustLoad().Render("zh-CN", prompts.LangSet, nil); got == "好嘞，说中文。" {
		t.Error("the override changed the shared embedded set")
	}
}

func TestOverrideErrors(t *testing.T) {
	for name, body := range map[string]string{
		"syntax error": `{{define "core.lang_set"}}{{.Oops{{end}}`,
		"new block":    `{{define "core.brand_new"}}x{{end}}`, // zh-CN only: en lacks it
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "zh-CN"), 0o755)
			os.WriteFile(filepath.Join(dir, "zh-CN", "x.tmpl"), []byte(body), 0o644)
			if _, err := prompts.Load(dir); err == nil {
				t.Fatal("loaded a broken override")
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"电话13812345678请联系", "电话138****5678请联系"},
		{"+86 13812345678", "+86 138****5678"},
		{"身份证110101199003071234", "身份证1101**********1234"},
		{"3栋2单元501", "3栋2单元501"},
		{"没有号码", "没有号码"},
	}
	for _, tt := range tests {
		if got := prompts.Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPercentAndClip(t *testing.T) {
	if got := prompts.Percent(35, 36); got != "97.2%" {
		t.Errorf("Percent(35, 36) = %q", got)
	}
	if got := prompts.Percent(1, 0); got != "-" {
		t.Errorf("Percent(1, 0) = %q", got)
	}
	if got := prompts.Clip(3, "一二三四"); got != "一二三…" {
		t.Errorf("Clip = %q", got)
	}
}

// createdData is what the requests feature renders a new suggestion with.
func createdData(text string) map[string]any {
	return map[string]any{"Kind": "suggestion", "ID": "S1", "Category": "", "Location": "", "Text": text, "Ticket": false}
}
