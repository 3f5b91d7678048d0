package main

import (
	"strings"
	"testing"
	"time"
)

// TestWebConfig: the web page is off by default; its bad keys are among
// TestConfigErrors' cases.
func TestWebConfig(t *testing.T) {
	cfg, err := ParseConfig([]byte(minimal), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Web.Enabled || cfg.Web.Listen != "127.0.0.1:8080" || cfg.Web.Session != 12*time.Hour {
		t.Errorf("defaults: %+v", cfg.Web)
	}
	if _, err := ParseConfig([]byte(strings.Replace(minimal, "roles: [resident]", `roles: ["street:c1"]`, 1)), noEnv); err != nil {
		t.Errorf("street:c1 refused: %v", err)
	}
}

// #登录: staff get a private link (the group is only told to look there),
// residents are refused, and with the page off the answer says so.
func TestStoryLoginLink(t *testing.T) {
	s := newStory(t)
	off := s.run(":in 社区工作群\n:as 陈社工\n#登录\n")
	if !strings.Contains(off, "[社区工作群] @陈社工 网页工作台未开启") {
		t.Errorf("with the page off:\n%s", off)
	}
	s.cfg.Web.Enabled, s.cfg.Web.Listen = true, "127.0.0.1:0"
	got := s.run(":in 社区工作群\n:as 陈社工\n#帮助 登录\n#登录\n:in 3栋居民群\n:as 居民甲\n#登录\n:as 物业小周\n:dm\n#登录\n")
	for _, want := range []string{
		"[社区工作群] @陈社工 #登录：获取网页工作台的一次性登录链接",
		"[社区工作群] @陈社工 登录链接已私信您，请查看与我的私聊。",
		"[@陈社工] 网页工作台登录链接（10分钟内有效，只能用一次，请勿转发）：\n  http://127.0.0.1:",
		"[3栋居民群] @居民甲 抱歉，",
		"[@物业小周] 网页工作台登录链接",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Count(got, "/login?t=") != 2 {
		t.Errorf("want exactly two links (staff, department):\n%s", got)
	}
}
