package prompts

import (
	"bytes"
	"strings"
	"testing"
	"text/template"
	"time"
)

type fastView struct {
	ID, Kind, Text string
	N              int
	Ok             bool
	Due            time.Time
	Who            *fastView
	Named          shout
	Items          []string
}

// shout is a string type with its own String: text/template prints that.
type shout string

func (s shout) String() string { return strings.ToUpper(string(s)) }

// TestFastRenderMatchesTextTemplate renders blocks the fast renderer does,
// and some it must leave to text/template, both ways: where it renders, the
// text is text/template's; where it gives up, Render still answers as
// text/template does (output or error).
func TestFastRenderMatchesTextTemplate(t *testing.T) {
	const src = `{{define "kind"}}{{if eq . "repair"}}报修{{else if eq . "need"}}需求{{else}}{{.}}{{end}}{{end}}
{{define "plain"}}{{template "kind" .Kind}} {{.ID}}：{{clip 5 (mask .Text)}} {{.N}} {{.Ok}}{{end}}
{{define "logic"}}{{if and .Kind .Text}}a{{end}}{{if or .N .Ok}}b{{end}}{{if not .Ok}}c{{end}}{{if gt .N 1}}d{{end}}{{if lt .N 1}}e{{end}}{{if ne .Kind "x"}}f{{end}}{{with .Text}}[{{.}}]{{else}}-{{end}}{{and .Kind .N}}{{or .Text .Kind}}{{end}}
{{define "eqmany"}}{{if eq .Kind "a" "b" "repair"}}yes{{end}}{{if eq .N 3}}three{{end}}{{end}}
{{define "nested"}}{{with .Who}}{{.ID}}{{template "kind" .Kind}}{{end}}{{end}}
{{define "method"}}{{if not .Due.IsZero}}due{{end}}{{end}}
{{define "named"}}{{.Named}}{{end}}
{{define "ranged"}}{{range .Items}}{{.}},{{end}}{{end}}
{{define "map"}}{{.Kind}}/{{.N}}{{end}}
{{define "nodata"}}{{template "kind"}}{{end}}
{{define "badeq"}}{{if eq .N "3"}}x{{end}}{{end}}`
	tm := template.Must(template.New("t").Option("missingkey=error").Funcs(funcs).Parse(src))
	s := &Set{langs: map[string]*template.Template{Default: tm}, fast: map[string]*fastSet{Default: compileFast(tm)}}
	for _, name := range []string{"kind", "plain", "logic", "eqmany", "nested", "method", "named", "map", "badeq"} {
		if _, ok := s.fast[Default].blocks[name]; !ok {
			t.Errorf("block %s is not compiled for the fast renderer", name)
		}
	}
	if _, ok := s.fast[Default].blocks["ranged"]; ok {
		t.Error("a range block is compiled; the fast renderer does not do range")
	}
	full := fastView{ID: "R7", Kind: "repair", Text: "电话13812345678", N: 3, Ok: true, Due: time.Unix(1e9, 0),
		Who: &fastView{ID: "S1", Kind: "need"}, Named: "hi", Items: []string{"a", "b"}}
	cases := []struct {
		name string
		data any
		fast bool // rendered without text/template
	}{
		{"plain", full, true},
		{"plain", &full, true},
		{"plain", fastView{Kind: "other"}, true},
		{"logic", full, true},
		{"logic", fastView{}, true},
		{"logic", fastView{N: -1, Kind: "x"}, true},
		{"eqmany", full, true},
		{"eqmany", fastView{Kind: "b"}, true},
		{"nested", full, true},
		{"nested", fastView{}, true}, // a nil pointer is false for with
		{"method", full, false},
		{"named", full, false},
		{"ranged", full, false},
		{"map", map[string]any{"Kind": "repair", "N": 2}, true},
		{"map", map[string]string{"Kind": "repair"}, false}, // missing key: text/template's error
		{"map", map[string]int{"Kind": 1, "N": 2}, true},
		{"kind", "need", true},
		{"kind", any(shout("x")), false},
		{"nodata", nil, false},
		{"badeq", full, false},
	}
	for _, tc := range cases {
		var want bytes.Buffer
		werr := tm.Lookup(tc.name).Execute(&want, tc.data)
		var buf bytes.Buffer
		if got := s.fast[Default].render(&buf, tc.name, tc.data); got != tc.fast {
			t.Errorf("%s %#v: fast render = %v, want %v (%q)", tc.name, tc.data, got, tc.fast, buf.String())
		} else if got && buf.String() != want.String() {
			t.Errorf("%s %#v: fast %q, text/template %q", tc.name, tc.data, buf.String(), want.String())
		}
		out, err := s.Render(Default, tc.name, tc.data)
		if (err != nil) != (werr != nil) || err == nil && out != strings.TrimSpace(want.String()) {
			t.Errorf("%s %#v: Render = %q, %v; text/template %q, %v", tc.name, tc.data, out, err, want.String(), werr)
		}
	}
}

// TestFastRendersTheHotBlocks: the blocks a new request renders in the
// writer's transaction are the fast renderer's, in every language.
func TestFastRendersTheHotBlocks(t *testing.T) {
	s := MustLoad()
	for _, lang := range Languages {
		for _, name := range []string{RequestsCreated, RequestsStaffNew, FloodWarning} {
			if _, ok := s.fast[lang].blocks[name]; !ok {
				t.Errorf("%s %s is not compiled for the fast renderer", lang, name)
			}
		}
		t.Logf("%s: %d of %d blocks compiled", lang, len(s.fast[lang].blocks), len(s.langs[lang].Templates()))
	}
}
