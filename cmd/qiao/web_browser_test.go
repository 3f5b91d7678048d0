package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium; CI installs it (.ci/run) and sets
// QIAO_REQUIRE_BROWSER so that the story can never be skipped there.
const chromiumPath = "/usr/bin/chromium"

// TestStoryWebQueueInABrowser: staff type #登录 in the console, open the link
// in headless Chromium, dispatch a ticket from the queue and see a poll's
// chart; the resident's chat reply appears in the console as usual.
// QIAO_WEB_SCREENSHOT=1 also copies the queue's screenshot to docs/images.
func TestStoryWebQueueInABrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("QIAO_REQUIRE_BROWSER") != "" {
			t.Fatalf("QIAO_REQUIRE_BROWSER is set but %s is missing: %v", chromiumPath, err)
		}
		t.Skipf("%s is not installed", chromiumPath)
	}
	t.Parallel() // mostly waiting on the browser: overlaps the package's other tests
	s := newStory(t)
	s.cfg.Web.Enabled, s.cfg.Web.Listen = true, "127.0.0.1:0"
	in, feed := io.Pipe()
	out := &syncBuffer{}
	app := s.app(in, out)
	defer app.Close()
	done := make(chan error, 1)
	go func() { done <- app.Run(context.Background()) }()
	defer func() {
		feed.Close()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	say := func(lines ...string) {
		for _, l := range lines {
			if _, err := io.WriteString(feed, l+"\n"); err != nil {
				t.Fatal(err)
			}
		}
	}
	say(":in 3栋居民群", ":as 居民甲", "#报修 3栋2单元楼道灯不亮了",
		":as 张楼长", `#投票 凉亭设计方案\`, `中式凉亭\`, "木结构廊架",
		":as 居民甲", "#投 P1 1", ":as 张楼长", "#结束投票 P1",
		":in 社区工作群", ":as 陈社工", "#登录")
	waitFor(t, out, "[社区工作群] @陈社工 登录链接已私信您")
	link := regexp.MustCompile(`http://127\.0\.0\.1:\d+/login\?t=\S+`).FindString(out.String())
	if link == "" {
		t.Fatalf("no login link sent privately:\n%s", out.String())
	}

	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(900, 700)}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTime := context.WithTimeout(ctx, time.Minute)
	defer cancelTime()

	fail := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("browser, %s: %v\nconsole:\n%s", step, err, out.String())
		}
	}
	fail("open the link", chromedp.Do(ctx, chromedp.Navigate(link), chromedp.Click(`#login-go`),
		chromedp.WaitVisible(`input[name=ticket][value=R1]`)))
	ticket, err := chromedp.Run(ctx, chromedp.Text(`#queue`))
	fail("read the queue", err)
	queue, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	fail("screenshot", err)
	fail("dispatch", chromedp.Do(ctx, chromedp.Click(`input[name=ticket][value=R1]`), chromedp.SetValue(`#bulk-dept`, "物业"),
		chromedp.Click(`#bulk-go`), chromedp.WaitVisible(`#replies`)))
	replies, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	fail("screenshot", err)
	fail("polls", chromedp.Do(ctx, chromedp.Navigate(strings.Split(link, "/login")[0]+"/polls"), chromedp.WaitVisible(`img.chart`)))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("img.chart").complete`))
	fail("chart loads", err)
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector("img.chart").naturalWidth`))
	fail("chart width", err)
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	fail("screenshot", err)
	if !strings.Contains(ticket, "3栋2单元楼道灯不亮了") {
		t.Errorf("the queue does not show R1: %q", ticket)
	}
	waitFor(t, out, "[3栋居民群] @居民甲 您的报修 R1 已派给物业处理。")
	waitFor(t, out, "[物业服务群] 新工单 R1")
	if width <= 0 {
		t.Errorf("the poll chart did not load (naturalWidth %d)", width)
	}
	dir := t.TempDir()
	for name, png := range map[string][]byte{"web-queue.png": queue, "web-dispatched.png": replies, "web-polls.png": shot} {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if os.Getenv("QIAO_WEB_SCREENSHOT") != "" {
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "images", "web-queue.png"), queue, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
