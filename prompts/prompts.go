// Package prompts holds every user-facing text of Qiao as text/template blocks,
// one set per language, embedded in the binary and overridable from a folder.
//
// Templates are trusted (they come from this package or from the operator's
// folder); the data they render is not: user text is always passed as data and
// never parsed as a template.
package prompts

import (
	"bytes"
	"embed"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"text/template"
)

//go:embed zh-CN/*.tmpl en/*.tmpl
var embedded embed.FS

// Languages Qiao speaks; the first is the default.
var Languages = []string{"zh-CN", "en"}

// Default is the language used when none is set.
const Default = "zh-CN"

// Set is the parsed templates of every language.
type Set struct {
	langs map[string]*template.Template
	fast  map[string]*fastSet // the blocks the fast renderer does (fast.go)
}

// Load parses the embedded templates and then, if dir is not empty, the files
// dir/<lang>/*.tmpl, whose blocks replace the embedded ones. It fails if a
// language lacks a block another one has, so a gap shows at start, not in a chat.
// A Set is read-only, so the embedded one is parsed once per process and
// shared (tests build hundreds of apps; each parse cost ~30 ms under -race).
func Load(dir string) (*Set, error) {
	if dir == "" {
		return loadEmbedded()
	}
	return load(dir)
}

var loadEmbedded = sync.OnceValues(func() (*Set, error) { return load("") })

func load(dir string) (*Set, error) {
	s := &Set{langs: map[string]*template.Template{}, fast: map[string]*fastSet{}}
	for _, lang := range Languages {
		t := template.New(lang).Option("missingkey=error").Funcs(funcs)
		var err error
		if t, err = t.ParseFS(embedded, lang+"/*.tmpl"); err != nil {
			return nil, fmt.Errorf("prompts: %s: %w", lang, err)
		}
		if dir != "" {
			files, _ := filepath.Glob(filepath.Join(dir, lang, "*.tmpl"))
			for _, f := range files {
				body, err := os.ReadFile(f)
				if err != nil {
					return nil, fmt.Errorf("prompts: %w", err)
				}
				if _, err := t.New(filepath.Base(f)).Parse(string(body)); err != nil {
					return nil, fmt.Errorf("prompts: %s: %w", f, err)
				}
			}
		}
		s.langs[lang] = t
		s.fast[lang] = compileFast(t)
	}
	if err := s.checkComplete(); err != nil {
		return nil, err
	}
	return s, nil
}

// MustLoad is Load for the embedded templates only; they are tested, so an error is a bug.
func MustLoad() *Set {
	s, err := Load("")
	if err != nil {
		panic(err)
	}
	return s
}

// Names lists the block names defined for a language.
func (s *Set) Names(lang string) []string {
	t := s.langs[lang]
	if t == nil {
		return nil
	}
	var names []string
	for _, x := range t.Templates() {
		if x.Name() != lang && !strings.HasSuffix(x.Name(), ".tmpl") {
			names = append(names, x.Name())
		}
	}
	sort.Strings(names)
	return names
}

func (s *Set) checkComplete() error {
	want := s.Names(Default)
	for _, lang := range Languages[1:] {
		have := map[string]bool{}
		for _, n := range s.Names(lang) {
			have[n] = true
		}
		for _, n := range want {
			if !have[n] {
				return fmt.Errorf("prompts: %s has no %q (defined for %s)", lang, n, Default)
			}
			delete(have, n)
		}
		for n := range have {
			return fmt.Errorf("prompts: %s defines %q, which %s lacks", lang, n, Default)
		}
	}
	return nil
}

// Has reports whether a block exists.
func (s *Set) Has(name string) bool {
	return s.langs[Default].Lookup(name) != nil
}

// Render executes block name in lang (falling back to the default language) with
// data, and trims surrounding white space so template files can be laid out freely.
func (s *Set) Render(lang, name string, data any) (string, error) {
	norm := Normalize(lang)
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	buf.Reset()
	if s.fast[norm].render(buf, name, data) {
		out := string(bytes.TrimSpace(buf.Bytes()))
		if !fastAlone && inTestBinary() {
			s.crossCheck(norm, name, data, out)
		}
		return out, nil
	}
	buf.Reset()
	block := s.langs[norm].Lookup(name)
	if block == nil {
		return "", fmt.Errorf("prompts: no template %q", name)
	}
	if err := block.Execute(buf, data); err != nil {
		return "", fmt.Errorf("prompts: %s %s: %w", lang, name, err)
	}
	return string(bytes.TrimSpace(buf.Bytes())), nil
}

// inTestBinary: every fast render is checked against text/template in a test
// binary (one whose testing flags are registered, as storage's guardedIfTest
// asks), so the whole suite checks the fast renderer; Qiao's binary pays
// nothing for it and does not link the testing package. Asked lazily: the
// testing flags are registered after package initialisation.
var inTestBinary = sync.OnceValue(func() bool { return flag.Lookup("test.v") != nil })

// fastAlone turns the check off, for tests and benchmarks of the fast
// renderer alone.
var fastAlone bool

// crossCheck panics when text/template renders block name otherwise than the
// fast renderer did: in tests, every render checks the fast one.
func (s *Set) crossCheck(lang, name string, data any, fast string) {
	var buf bytes.Buffer
	err := s.langs[lang].Lookup(name).Execute(&buf, data)
	if want := strings.TrimSpace(buf.String()); err != nil || want != fast {
		panic(fmt.Sprintf("prompts: fast render of %s %s = %q; text/template: %q, %v", lang, name, fast, want, err))
	}
}

// renderBuffers are Render's buffers: most replies render in a message's
// transaction, and a buffer grown afresh for each cost a few allocations.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer keeps buf for the next Render, unless a large render (an
// export) grew it past what a reply needs.
func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 64<<10 {
		renderBuffers.Put(buf)
	}
}

// Normalize maps a language tag to one Qiao speaks: "en", "en-US", "EN" → "en";
// anything else → the default.
func Normalize(lang string) string {
	// EqualFold rather than ToLower: no copy of "zh-CN" for every reply.
	if strings.EqualFold(lang, "en") || len(lang) >= 3 && (strings.EqualFold(lang[:3], "en-") || strings.EqualFold(lang[:3], "en_")) {
		return "en"
	}
	return Default
}
