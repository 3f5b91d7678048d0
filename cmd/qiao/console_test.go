package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// TestMainScriptStoresSuggestion is the first-minute experience: the
// real entry point, the built-in demo config, a piped script, a row in SQLite.
func TestMainScriptStoresSuggestion(t *testing.T) {
	db := filepath.Join(t.TempDir(), "qiao.db")
	var out, errOut bytes.Buffer
	script := ":in 3栋居民群\n:as 居民甲\n#建议 交警大院划一些停车位\n"
	if err := Main(context.Background(), []string{"-db", db}, strings.NewReader(script), &out, &errOut); err != nil {
		t.Fatalf("Main: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "已登记为 S1") {
		t.Fatalf("output: %q", out.String())
	}
	sdb, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	sdb.View(context.Background(), func(tx *storage.Tx) error {
		r, err := tx.FindRequest(1, 1)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := tx.FindPerson(r.PersonID)
		g, _ := tx.FindGroup(r.GroupID)
		if r.Kind != "suggestion" || r.Text != "交警大院划一些停车位" || r.Category != "parking" || p.Name != "居民甲" || g.Name != "3栋居民群" {
			t.Errorf("stored %+v by %s in %s", r, p.Name, g.Name)
		}
		return nil
	})
}

func TestStoryConsoleDirectives(t *testing.T) {
	s := newStory(t)
	got := s.run(`:in 不存在的群
:as
:time 明天
:time 2026-11-01 08:00
:frobnicate
:in 社区工作群
:as 陈社工
#建议 第一行\
第二行
:dm
#语言 English
/help lang
`)
	expectLines(t, got, `
		! 没有叫“不存在的群”的群。可用的群：1栋居民群、3栋居民群、5号楼居民群、7栋居民群、第一网格群、第二网格群、交警大院群、社区工作群、物业服务群、供电服务群、城管联络群
		! 用法：:as 姓名
		! 时间格式不对：“明天”。用法：:time 2026-12-01 20:00
		! 时间不能倒退，现在是 2026-11-30 09:00。
		! 不认识的指令：:frobnicate。输入 :help 查看。
		[社区工作群] @陈社工 谢谢您的建议！已登记为 S1：第一行
		  第二行
		  社区会尽快答复，可发送 #进度 S1 查看。
		[@陈社工] OK, I will talk to you in English from now on.
		[@陈社工] /lang (#语言): switch language (中文 / English)
		  Example: /lang 中文
	`)
}

func TestStoryHelpShowsOnlyAllowedCommands(t *testing.T) {
	s := newStory(t)
	resident := s.run("#帮助\n")
	staff := s.run(":in 社区工作群\n:as 陈社工\n#帮助\n")
	for _, want := range []string{"#建议 ", "#报修 ", "#帮助 全部"} {
		if !strings.Contains(resident, want) || !strings.Contains(staff, want) {
			t.Errorf("help lacks %s", want)
		}
	}
	for _, staffOnly := range []string{"#派单", "#采纳", "#导出", "#日报"} {
		if strings.Contains(resident, staffOnly) {
			t.Errorf("a resident's help offers %s:\n%s", staffOnly, resident)
		}
		if !strings.Contains(staff, staffOnly) {
			t.Errorf("staff help lacks %s:\n%s", staffOnly, staff)
		}
	}
}

func TestStorySecondRunContinues(t *testing.T) {
	s := newStory(t)
	s.run("#建议 第一条\n")
	got := s.run("#建议 第二条\n")
	if !strings.Contains(got, "已登记为 S2") {
		t.Fatalf("second run: %q (a new run must not be deduped against the first, nor restart numbering)", got)
	}
}

func TestParseCommand(t *testing.T) {
	var out bytes.Buffer
	in := "#建议 交警大院划一些停车位\n/suggest@QiaoBot 路灯不亮\n@小桥 帮助\n#不存在 的命令\n今天天气不错\n"
	if err := Main(context.Background(), []string{"parse"}, strings.NewReader(in), &out, &out); err != nil {
		t.Fatal(err)
	}
	var got []parseResult
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r parseResult
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := []parseResult{
		{Kind: "suggestion", Category: "parking", Command: "suggest"},
		{Kind: "suggestion", Category: "lighting", Command: "suggest"},
		{Kind: "command", Command: "help"},
		{Kind: "command", Command: "不存在"},
		{Kind: "none"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Kind != want[i].Kind || got[i].Category != want[i].Category || got[i].Command != want[i].Command {
			t.Errorf("line %d: got %+v, want %+v", i+1, got[i], want[i])
		}
	}
}

func TestMainRejectsUnknownSubcommand(t *testing.T) {
	var out bytes.Buffer
	err := Main(context.Background(), []string{"frobnicate"}, strings.NewReader(""), &out, &out)
	if err == nil || !strings.Contains(err.Error(), `unknown subcommand "frobnicate"`) {
		t.Fatalf("err = %v", err)
	}
}
