package main

import (
	"strings"
	"testing"

	qiao "github.com/qiao-community/qiao"
)

func TestWeChatConfigErrorsNameTheirKeys(t *testing.T) {
	yaml := strings.Replace(string(qiao.ExampleConfig), `alert_group: ""`, `alert_group: nope`, 1)
	yaml = strings.Replace(yaml, "per_minute: 20", "per_minute: 500", 1)
	_, err := ParseConfig([]byte(yaml), func(string) (string, bool) { return "", false })
	if err == nil {
		t.Fatal("a bad wechat section was accepted")
	}
	for _, key := range []string{`wechat.alert_group: "nope" is not the key of a configured group`, "wechat.pacing.per_minute"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("no %q in:\n%v", key, err)
		}
	}
}

func TestWeChatFilesSitNextToTheDatabase(t *testing.T) {
	s := newStory(t)
	s.cfg.WeChat.Enabled = true
	app := s.app(strings.NewReader(""), &strings.Builder{})
	defer app.Close()
	dir := strings.TrimSuffix(s.db, "qiao.db")
	if app.WeChat.Config.LoginFile != dir+"wechat-login.json" || app.WeChat.Config.QRFile != dir+"wechat-login-qr.png" {
		t.Fatalf("files %q and %q, want them in %s", app.WeChat.Config.LoginFile, app.WeChat.Config.QRFile, dir)
	}
}
