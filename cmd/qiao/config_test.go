package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	qiao "github.com/qiao-community/qiao"
)

func noEnv(string) (string, bool) { return "", false }

func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := ParseConfig(qiao.ExampleConfig, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	cm := cfg.Communities[0]
	kinds := map[string]int{}
	for _, g := range cm.Groups {
		kinds[g.Kind]++
	}
	roles := map[string]bool{}
	for _, p := range cm.People {
		for _, r := range p.Roles {
			name, _, _ := strings.Cut(r, ":")
			roles[name] = true
		}
	}
	// The demo must be a believable community (issue 2).
	if len(cm.Grids) < 2 || len(cm.Buildings) < 4 || len(cm.Departments) < 3 ||
		kinds["building"] < 2 || kinds["grid"] < 1 || kinds["compound"] < 1 || kinds["staff"] < 1 {
		t.Errorf("demo community too thin: %d grids, %d buildings, %d departments, groups %v",
			len(cm.Grids), len(cm.Buildings), len(cm.Departments), kinds)
	}
	for _, r := range []string{"resident", "captain", "grid_worker", "staff", "admin", "department"} {
		if !roles[r] {
			t.Errorf("no placeholder person with role %s", r)
		}
	}
	if cfg.Timezone != "Asia/Shanghai" || cfg.Database != "qiao.db" {
		t.Errorf("defaults: timezone %q, database %q", cfg.Timezone, cfg.Database)
	}
}

// minimal is the smallest valid config; cases below break one thing each.
const minimal = `
console: {group: 楼群, user: 甲}
communities:
  - key: c1
    name: 社区
    grids: [{key: g1, name: 网格}]
    buildings: [{key: b1, name: 1栋, grid: g1}]
    departments: [{key: d1, name: 物业}]
    groups:
      - {key: b1, name: 楼群, kind: building, building: b1}
    people:
      - {key: p1, name: 甲, roles: [resident]}
`

func TestConfigDefaults(t *testing.T) {
	cfg, err := ParseConfig([]byte(minimal), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	g, p := cfg.Communities[0].Groups[0], cfg.Communities[0].People[0]
	if cfg.Timezone != "Asia/Shanghai" || cfg.Language != "zh-CN" || cfg.Communities[0].Timezone != "Asia/Shanghai" ||
		g.Platform != "console" || g.Chat != "楼群" || g.Mode != "confirm" || p.User != "甲" || p.Platform != "console" {
		t.Errorf("defaults not filled: %+v / %+v / %+v", cfg, g, p)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown top-level key", "console:", "consol: {}\nconsole:", "field consol not found"},
		{"unknown nested key", "kind: building,", "kind: building, flor: 3,", "field flor not found"},
		{"bad time zone", "console:", "timezone: Mars/Olympus\nconsole:", "timezone: unknown time zone \"Mars/Olympus\""},
		{"bad language", "console:", "language: fr\nconsole:", "language: \"fr\" is not one of zh-CN, en"},
		{"missing community name", "name: 社区", "name: \"\"", "communities[0].name: is required"},
		{"bad key", "key: c1", "key: C 1", "communities[0].key: \"C 1\" must be lower-case"},
		{"unknown grid", "grid: g1}", "grid: g9}", "communities[0].buildings[0].grid: unknown grid \"g9\""},
		{"building group without building", "kind: building, building: b1}", "kind: building}", "communities[0].groups[0].building: a building group must name its building"},
		{"bad group kind", "kind: building,", "kind: castle,", "communities[0].groups[0].kind: \"castle\" is not one of"},
		{"bad mode", "building: b1}", "building: b1, mode: sometimes}", "groups[0].mode: \"sometimes\" is not one of off, confirm, auto"},
		{"unknown role", "roles: [resident]", "roles: [king]", "people[0].roles[0]: unknown role \"king\""},
		{"role without scope", "roles: [resident]", "roles: [captain]", "people[0].roles[0]: role \"captain\" needs a scope"},
		{"role with unknown building", "roles: [resident]", "roles: [\"captain:b9\"]", "people[0].roles[0]: unknown building \"b9\""},
		{"duplicate person key", "- {key: p1, name: 甲, roles: [resident]}", "- {key: p1, name: 甲}\n      - {key: p1, name: 乙}", "people[1].key: \"p1\" is used twice"},
		{"console group missing", "console: {group: 楼群", "console: {group: 没有的群", "console.group: \"没有的群\" is not the chat of a console group"},
		{"no communities", "communities:", "old_communities:", "field old_communities not found"},
		{"unset environment variable", "name: 社区", "name: ${QIAO_TEST_UNSET}", "line 5: environment variable QIAO_TEST_UNSET is not set"},
		{"bad web listen", "console:", "web: {listen: 8080}\nconsole:", "web.listen: \"8080\" is not host:port"},
		{"bad web base_url", "console:", "web: {base_url: qiao.example}\nconsole:", "web.base_url: \"qiao.example\" is not an http(s) address"},
		{"short web session", "console:", "web: {session: 1m}\nconsole:", "web.session: must be between 5m and 720h"},
		{"street without community", "roles: [resident]", "roles: [street]", "people[0].roles[0]: role \"street\" needs a scope"},
		{"street of an unknown community", "roles: [resident]", "roles: [\"street:nowhere\"]", "people[0].roles[0]: unknown community \"nowhere\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(minimal, tt.old) {
				t.Fatalf("test case does not apply: %q not in the minimal config", tt.old)
			}
			_, err := ParseConfig([]byte(strings.Replace(minimal, tt.old, tt.new, 1)), noEnv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestConfigReportsEveryProblem(t *testing.T) {
	bad := strings.NewReplacer("grid: g1}", "grid: g9}", "roles: [resident]", "roles: [king]").Replace(minimal)
	_, err := ParseConfig([]byte(bad), noEnv)
	if err == nil || !strings.Contains(err.Error(), "2 problem(s)") {
		t.Fatalf("err = %v, want both problems reported", err)
	}
}

func TestConfigEnvironment(t *testing.T) {
	env := func(k string) (string, bool) {
		if k == "QIAO_COMMUNITY" {
			return "阳光社区", true
		}
		return "", false
	}
	text := strings.Replace(minimal, "name: 社区", "name: ${QIAO_COMMUNITY}", 1)
	text = "# a comment naming ${NOT_SET} is not expanded\n" + text
	cfg, err := ParseConfig([]byte(text), env)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Communities[0].Name; got != "阳光社区" {
		t.Errorf("name = %q", got)
	}
}

func TestLoadConfigNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qiao.yaml")
	os.WriteFile(path, []byte("nonsense: 1\n"), 0o644)
	_, err := LoadConfig(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "field nonsense not found") {
		t.Fatalf("err = %v", err)
	}
}
