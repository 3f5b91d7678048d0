package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot/wechat"
)

func TestEnrolRefusesWhoNeedsNoEnrolment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "qiao.db")
	for _, c := range []struct{ person, want string }{
		{"", "usage"},
		{"nobody", "no configured person"},
		{"jia", "no configured person"}, // a resident: nothing to protect
		{"liu", "not wechat"},           // the demo's secretary is on the console
	} {
		var out bytes.Buffer
		err := Main(context.Background(), []string{"enrol", "-db", db, "-person", c.person}, nil, &out, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("enrol -person %q: %v, want an error with %q", c.person, err, c.want)
		}
		if strings.Contains(out.String(), "QIAO-") {
			t.Errorf("enrol -person %q printed a code", c.person)
		}
	}
}

func TestStatusLineSaysWhyWeChatStopped(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)
	for _, c := range []struct {
		st   wechat.State
		want string
	}{
		{wechat.State{}, "never logged in"},
		{wechat.State{State: wechat.StateOnline, Since: at}, "online since 2026-11-30 09:00"},
		{wechat.State{State: wechat.StateRefused, Since: at, Err: "ret 1203"}, "REFUSED by WeChat (ret 1203)"},
		{wechat.State{State: wechat.StateGaveUp, Since: at, Err: "kicked 5 times"}, "STOPPED after a kick loop"},
		{wechat.State{State: wechat.StateOffline, Since: at, Err: "1101"}, "offline since 2026-11-30 09:00 (1101)"},
	} {
		if got := wechatStatusLine(c.st); !strings.Contains(got, c.want) {
			t.Errorf("%+v: %q, want %q", c.st, got, c.want)
		}
	}
}
