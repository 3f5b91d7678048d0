package main

import (
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

func TestWeComConfigChecked(t *testing.T) {
	s := newStory(t)
	cm := &s.cfg.Communities[0]
	cm.Groups[0].Platform, cm.Groups[0].Chat = bot.WeCom, "wrGROUP"
	cm.Groups[1].Platform, cm.Groups[1].Chat = bot.WeComWebhook, "no-key"
	cm.People[0].Platform = bot.WeComWebhook
	s.cfg.WeCom.Webhooks = map[string]string{"orphan": "K"}
	s.cfg.WeCom.AlertGroup = "nowhere"
	err := s.cfg.Validate()
	if err == nil {
		t.Fatal("config accepted")
	}
	for _, want := range []string{
		"communities[0].groups[0].platform: wecom is used but wecom.enabled is false",
		`communities[0].groups[1].chat: "no-key" has no robot key under wecom.webhooks`,
		"communities[0].people[0].platform: a group robot only posts into its group",
		`wecom.webhooks.orphan: no group on platform wecom_webhook has chat "orphan"`,
		`wecom.alert_group: "nowhere" is not the key of a configured group`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\nlacks %q", err, want)
		}
	}

	s.cfg.WeCom.Enabled = true
	s.cfg.WeCom.URL = "https://not-a-websocket"
	err = s.cfg.Validate()
	for _, want := range []string{
		"wecom.bot_id: is required",
		"wecom.secret_env: environment variable WECOM_SECRET is empty or not set",
		`wecom.url: "https://not-a-websocket" is not a ws(s) URL`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v\nlacks %q", err, want)
		}
	}
}

func TestWeComSecretFromEnvironment(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
wecom: {enabled: true, bot_id: b1, secret_env: QIAO_TEST_WECOM}
communities:
  - key: c
    name: C
    groups: [{key: s, name: 工作群, kind: staff, platform: wecom, chat: wrS}]
console: {enabled: false}
`), func(name string) (string, bool) { return map[string]string{"QIAO_TEST_WECOM": " s3cret\n"}[name], true })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.WeCom.Secret != "s3cret" || cfg.WeCom.URL != "wss://openws.work.weixin.qq.com" || cfg.WeCom.PingSeconds != 30 {
		t.Errorf("wecom config = %+v", cfg.WeCom)
	}
}
