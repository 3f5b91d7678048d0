package web_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/handlers/weblogin"
	"github.com/qiao-community/qiao/storage"
)

func TestLoginLinksWorkOnceForTheirPersonWithinTenMinutes(t *testing.T) {
	rg := newRig(t)
	refused := func(name, token string) {
		t.Helper()
		c := rg.client()
		got := rg.redeem(c, token)
		if got.code != http.StatusForbidden || len(c.Jar.Cookies(mustURL(rg.http.URL))) != 0 {
			t.Errorf("%s: %d with cookies %v, want 403 and no session", name, got.code, c.Jar.Cookies(mustURL(rg.http.URL)))
		}
		if queue := rg.get(c, "/queue"); queue.code != http.StatusUnauthorized || strings.Contains(queue.body, textWuye) {
			t.Errorf("%s: the queue answered %d", name, queue.code)
		}
	}
	used := rg.link("陈社工")
	// A chat app fetching the link for its preview (a GET) spends nothing.
	if got := rg.get(rg.client(), "/login?t="+url.QueryEscape(used)); got.code != http.StatusOK || !strings.Contains(got.body, `name="t"`) {
		t.Fatalf("the link's page: %d", got.code)
	}
	if got := rg.redeem(rg.client(), used); got.code != http.StatusOK || !strings.Contains(got.body, `http-equiv="refresh"`) {
		t.Fatalf("fresh link: %d", got.code)
	}
	refused("reused", used)

	expired := rg.link("陈社工")
	rg.clock.Advance(weblogin.LinkTTL + time.Second)
	refused("expired", expired)

	// Bound to the person: the signed payload names them; another id breaks the signature.
	token := rg.link("物业小周")
	payload, sig, _ := strings.Cut(token, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	_, rest, _ := strings.Cut(string(raw), ".")
	forged := base64.RawURLEncoding.EncodeToString([]byte(itoa(rg.person("陈社工"))+"."+rest)) + "." + sig
	refused("another person's id", forged)
	refused("garbage", "not-a-token")
	refused("empty", "")
	// A captain is not staff: even a link made for them opens nothing.
	refused("captain", rg.link("张楼长"))
}

func TestSessionsEndAtLogoutAndAfterTheirLifetime(t *testing.T) {
	rg := newRig(t)
	c := rg.login("陈社工")
	if got := rg.get(c, "/queue"); got.code != http.StatusOK || !strings.Contains(got.body, textWuye) {
		t.Fatalf("queue: %d", got.code)
	}
	resp := rg.do(c, http.MethodPost, "/logout", "x=1", nil)
	if resp.code != http.StatusOK {
		t.Fatalf("logout: %d", resp.code)
	}
	if got := rg.get(c, "/queue"); got.code != http.StatusUnauthorized {
		t.Errorf("after logout: %d", got.code)
	}
	c = rg.login("陈社工")
	rg.clock.Advance(rg.server.Config.Session + time.Minute)
	if got := rg.get(c, "/queue"); got.code != http.StatusUnauthorized {
		t.Errorf("after the session's lifetime: %d", got.code)
	}
}

func TestSessionCookieAndHeadersAreStrict(t *testing.T) {
	rg := newRig(t)
	resp := rg.redeem(rg.client(), rg.link("陈社工"))
	cookie := resp.header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("cookie %q lacks %s", cookie, want)
		}
	}
	var stored int
	err := rg.db.View(context.Background(), func(tx *storage.Tx) error {
		value := strings.TrimPrefix(strings.Split(cookie, ";")[0], "qiao_session=")
		_, err := tx.WebSessionPerson(value, rg.clock.Now()) // the raw id is not what is stored
		if err == nil {
			stored++
		}
		return nil
	})
	if err != nil || stored != 0 {
		t.Errorf("the session id is stored in clear")
	}
	page := rg.get(rg.login("陈社工"), "/queue")
	for header, want := range map[string]string{"X-Frame-Options": "DENY", "Cache-Control": "no-store",
		"X-Content-Type-Options": "nosniff"} {
		if got := page.header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(page.body, "<script>") || strings.Contains(page.body, " onclick=") {
		t.Error("inline script in the page")
	}
}

// A cross-origin POST (a form on another site) is refused before it reaches
// the engine; the same POST from the page itself dispatches, and the
// resident is told in chat.
func TestCrossOriginPostsAreRefusedAndSameOriginOnesAct(t *testing.T) {
	rg := newRig(t)
	c := rg.login("陈社工")
	ref := rg.refs[textOpen]
	form := "dept=" + url.QueryEscape("物业") + "&ticket=" + ref
	evil := rg.do(c, http.MethodPost, "/queue/dispatch", form, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
	if evil.code != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d, want 403", evil.code)
	}
	if st := rg.state(ref); st != storage.StateSubmitted {
		t.Fatalf("after a refused POST the ticket is %s", st)
	}
	ok := rg.do(c, http.MethodPost, "/queue/dispatch", form, map[string]string{"Origin": rg.http.URL, "Sec-Fetch-Site": "same-origin"})
	if ok.code != http.StatusOK || !strings.Contains(ok.body, ref) || !strings.Contains(ok.body, "物业") {
		t.Fatalf("same-origin dispatch: %d\n%s", ok.code, ok.body)
	}
	if st := rg.state(ref); st != storage.StateDispatched {
		t.Errorf("after dispatch the ticket is %s", st)
	}
	var told bool
	_ = rg.db.View(context.Background(), func(tx *storage.Tx) error {
		texts, err := tx.DirectTexts("console", "居民heping", 0)
		for _, s := range texts {
			told = told || strings.Contains(s, ref)
		}
		return err
	})
	if !told {
		t.Error("the resident was not told in chat")
	}
	// A department member cannot dispatch: the engine refuses, as in chat.
	dept := rg.do(rg.login("物业小周"), http.MethodPost, "/queue/dispatch", "dept=%E4%BE%9B%E7%94%B5%E6%89%80&ticket="+rg.refs[textWuye], nil)
	if st := rg.state(rg.refs[textWuye]); st != storage.StateDispatched || !strings.Contains(dept.body, "replies") {
		t.Errorf("department dispatch: state %s, page %d", st, dept.code)
	}
}

func (rg *rig) state(ref string) string {
	rg.t.Helper()
	var st string
	err := rg.db.View(context.Background(), func(tx *storage.Tx) error {
		for _, cm := range []int64{1, 2} {
			if r, err := tx.FindRequest(cm, atoi(ref[1:])); err == nil {
				st = r.State
			}
		}
		return nil
	})
	if err != nil {
		rg.t.Fatal(err)
	}
	return st
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
