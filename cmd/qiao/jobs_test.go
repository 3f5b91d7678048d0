package main

import (
	"strings"
	"testing"

	qiao "github.com/qiao-community/qiao"
)

func TestJobsConfig(t *testing.T) {
	parse := func(jobs string) error {
		_, err := ParseConfig([]byte(strings.Replace(string(qiao.ExampleConfig),
			"    - {name: digest, spec: \"30 8 * * *\", targets: [staff], enabled: true}\n", jobs, 1)),
			func(string) (string, bool) { return "", false })
		return err
	}
	if err := parse("    - {name: digest, spec: \"@daily\", targets: [staff, b3]}\n"); err != nil {
		t.Errorf("a descriptor and a group key were refused: %v", err)
	}
	for _, tc := range []struct{ jobs, want string }{
		{"    - {name: digest, spec: \"30 8 * *\", targets: [staff]}\n", `jobs.list[0].spec: job digest: invalid cron spec "30 8 * *"`},
		{"    - {name: digset, spec: \"30 8 * * *\"}\n", `jobs.list[0].name: unknown job "digset" (known: digest, weekly, overdue, rating, urgent, monthly, polls, projects, activities, notices, retention, jielong, duty, volunteers)`},
		{"    - {name: digest, targets: [staf]}\n", `jobs.list[0].targets: job digest: "staf" is neither a group kind`},
		{"    - {name: digest, targets: []}\n", `jobs.list[0].targets: job digest needs at least one group key or group kind`},
		{"    - {name: weekly}\n", `jobs.list[1].name: job "weekly" is listed twice`},
	} {
		err := parse(tc.jobs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("jobs %q: err = %v, want %q", tc.jobs, err, tc.want)
		}
	}
}

func TestDefaultJobsWhenTheConfigListsNone(t *testing.T) {
	cfg, err := ParseConfig([]byte("communities:\n  - {key: c, name: C, groups: [{key: s, name: S, kind: staff}]}\nconsole: {group: S, user: x}\n"),
		func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range cfg.Jobs.List {
		got = append(got, j.Name+" "+j.Spec+" "+strings.Join(j.Targets, ","))
	}
	want := "digest 30 8 * * * staff; weekly 0 19 * * 0 building,compound; overdue 0 9 * * * ; rating 0 10 * * * ; urgent */5 * * * * ; monthly 0 9 1 * * ; polls * * * * * ; projects */10 * * * * ; activities */5 * * * * ; notices */10 * * * * ; retention 15 4 * * * ; jielong * * * * * ; duty * * * * * ; volunteers 0 9 1 * * "
	if strings.Join(got, "; ") != want {
		t.Errorf("default jobs = %q, want %q", strings.Join(got, "; "), want)
	}
}
