package workdays_test

import (
	"testing"
	"time"

	"github.com/qiao-community/qiao/handlers/workdays"
)

var shanghai = time.FixedZone("CST", 8*3600)

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// The National Day week of 2026 (hand-checked against the State Council's
// notice): 10-01..10-07 off, Saturday 10-10 worked instead; 中秋 09-25..09-27 off.
func TestIsWorkdayNationalDay2026(t *testing.T) {
	cal := workdays.National()
	want := map[string]bool{
		"2026-09-25": false, "2026-09-26": false, "2026-09-27": false,
		"2026-09-28": true, "2026-09-29": true, "2026-09-30": true,
		"2026-10-01": false, "2026-10-02": false, "2026-10-03": false, "2026-10-04": false,
		"2026-10-05": false, "2026-10-06": false, "2026-10-07": false,
		"2026-10-08": true, "2026-10-09": true, "2026-10-10": true, "2026-10-11": false, "2026-10-12": true,
		"2026-11-28": false, "2026-11-30": true,
	}
	for d, w := range want {
		if got := cal.IsWorkday(day(d + " 12:00")); got != w {
			t.Errorf("IsWorkday(%s) = %v, want %v", d, got, w)
		}
	}
}

func TestEndOfWorkdays(t *testing.T) {
	for _, tc := range []struct {
		name string
		over workdays.Overrides
		from string
		n    int
		want string
	}{
		{"next day", workdays.Overrides{}, "2026-09-28 10:00", 1, "2026-09-30 00:00"},
		{"over the holiday", workdays.Overrides{}, "2026-09-28 10:00", 3, "2026-10-09 00:00"},
		{"last day before the holiday", workdays.Overrides{}, "2026-09-30 16:00", 1, "2026-10-09 00:00"},
		{"into the worked Saturday", workdays.Overrides{}, "2026-09-30 16:00", 3, "2026-10-11 00:00"},
		{"skips the Sunday after", workdays.Overrides{}, "2026-09-30 16:00", 4, "2026-10-13 00:00"},
		{"from inside the holiday", workdays.Overrides{}, "2026-10-03 11:00", 1, "2026-10-09 00:00"},
		{"worked Saturday counts", workdays.Overrides{}, "2026-10-09 09:00", 2, "2026-10-13 00:00"},
		{"override: Saturday off", workdays.Overrides{Holidays: []string{"2026-10-10"}}, "2026-10-09 09:00", 2, "2026-10-14 00:00"},
		{"override: Sunday worked", workdays.Overrides{Workdays: []string{"2026-10-11"}}, "2026-10-09 09:00", 2, "2026-10-12 00:00"},
		{"zero is now", workdays.Overrides{}, "2026-10-09 09:00", 0, "2026-10-09 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cal, err := workdays.New(tc.over)
			if err != nil {
				t.Fatal(err)
			}
			if got := cal.EndOfWorkdays(day(tc.from), tc.n); !got.Equal(day(tc.want)) {
				t.Errorf("EndOfWorkdays(%s, %d) = %s, want %s", tc.from, tc.n, got.Format("2006-01-02 15:04"), tc.want)
			}
		})
	}
}

func TestWorkdaysBetween(t *testing.T) {
	cal := workdays.National()
	// 09-29, 09-30, 10-08, 10-09, 10-10, 10-12.
	if got := cal.WorkdaysBetween(day("2026-09-28 09:00"), day("2026-10-12 18:00")); got != 6 {
		t.Errorf("WorkdaysBetween = %d, want 6", got)
	}
}

func TestNewRejectsBadDates(t *testing.T) {
	for _, o := range []workdays.Overrides{
		{Workdays: []string{"2026-13-01"}},
		{Holidays: []string{"10/10"}},
		{Workdays: []string{"2026-10-10"}, Holidays: []string{"2026-10-10"}},
	} {
		if _, err := workdays.New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}

func TestParseLimit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want workdays.Limit
	}{
		{"24h", workdays.Limit{Duration: 24 * time.Hour}},
		{"90m", workdays.Limit{Duration: 90 * time.Minute}},
		{"3工作日", workdays.Limit{Workdays: 3}},
		{"3个工作日", workdays.Limit{Workdays: 3}},
		{" 5wd ", workdays.Limit{Workdays: 5}},
		{"3天", workdays.Limit{Days: 3}},
		{"2d", workdays.Limit{Days: 2}},
	} {
		got, err := workdays.Parse(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		back, err := workdays.Parse(got.String())
		if err != nil || back != got {
			t.Errorf("Parse(String(%q)) = %+v, %v", tc.in, back, err)
		}
	}
	for _, bad := range []string{"", "0工作日", "三天", "abc", "999天", "{{"} {
		if l, err := workdays.Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", bad, l)
		}
	}
}

func TestLimitAfter(t *testing.T) {
	cal := workdays.National()
	from := day("2026-09-30 16:00")
	for _, tc := range []struct {
		l    workdays.Limit
		want string
	}{
		{workdays.Limit{Workdays: 3}, "2026-10-11 00:00"},
		{workdays.Limit{Days: 3}, "2026-10-03 16:00"},
		{workdays.Hours(24 * time.Hour), "2026-10-01 16:00"},
	} {
		if got := tc.l.After(from, cal); !got.Equal(day(tc.want)) {
			t.Errorf("%s after %s = %s, want %s", tc.l, from, got, tc.want)
		}
	}
	if got := (workdays.Limit{}).After(from, cal); !got.IsZero() {
		t.Errorf("no limit after = %s, want zero", got)
	}
}
