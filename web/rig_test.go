package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/digest"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/handlers/weblogin"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
	"github.com/qiao-community/qiao/web"
)

// rig is a database with two communities and a ticket in each place that a
// role could see or not, served by a web.Server over httptest.
//
//	heping  R1 1栋 物业 "一号楼电梯停运"   R2 5号楼 供电所 "五号楼停电"   R3 3栋 undispatched "三栋漏水 13812345678"
//	lianhua R4 莲花1号 "莲花楼道灯坏"
type rig struct {
	t      *testing.T
	db     *storage.DB
	clock  *bot.VirtualClock
	server *web.Server
	http   *httptest.Server
	refs   map[string]string // marker text → ref
}

// texts of the seeded requests, by the share they belong to.
const (
	textWuye     = "一号楼电梯停运"
	textGongdian = "五号楼停电"
	textOpen     = "三栋漏水"
	textLianhua  = "莲花楼道灯坏"
)

func newRig(t *testing.T) *rig {
	t.Helper()
	rg := &rig{t: t, db: storagetest.Open(t), clock: bot.NewVirtualClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)),
		refs: map[string]string{}}
	rg.db.Now = rg.clock.Now
	heping := storagetest.Community()
	heping.People = append(heping.People, storage.PersonSpec{Key: "street", Name: "街道老赵", Platform: "console", User: "街道老赵",
		Roles: []storage.Role{{Role: storage.RoleStreet, Scope: "heping"}, {Role: storage.RoleStreet, Scope: "lianhua"}}})
	lianhua := storage.CommunitySpec{Key: "lianhua", Name: "莲花社区", Timezone: "Asia/Shanghai", Lang: "zh-CN",
		Grids: []storage.GridSpec{{Key: "l1", Name: "莲花网格"}}, Buildings: []storage.BuildingSpec{{Key: "lb1", Name: "莲花1号", Grid: "l1"}},
		Departments: []storage.DepartmentSpec{{Key: "wuye", Name: "物业"}},
		People:      []storage.PersonSpec{{Key: "li", Name: "莲花李社工", Platform: "console", User: "莲花李社工", Roles: []storage.Role{{Role: storage.RoleStaff}}}}}
	storagetest.Sync(t, rg.db, heping)
	storagetest.Sync(t, rg.db, lianhua)
	rg.update(func(tx *storage.Tx) error {
		cms, err := tx.Communities()
		if err != nil {
			return err
		}
		for _, cm := range cms {
			if err := rg.seed(tx, cm); err != nil {
				return err
			}
		}
		return nil
	})
	out := &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"}
	h := &requests.Handlers{Classifier: requests.NewClassifier(nil), Config: requests.DefaultConfig()}
	mux := bot.NewMux()
	mux.Use(bot.Recover, bot.Authorize)
	mux.Handle(bot.Command{Name: "派单", Aliases: []string{"dispatch"}, Allow: roles.Dispatchers, Handler: h.Dispatch})
	mux.Handle(bot.Command{Name: "接单", Aliases: []string{"accept"}, Allow: roles.DepartmentOrStaff, Handler: h.Accept})
	log := slog.New(slog.DiscardHandler)
	engine := &bot.Engine{DB: rg.db, Mux: mux, Outbox: out, Log: log, BotNames: []string{"小桥"}}
	cfg := web.Config{Listen: "127.0.0.1:0"}
	cfg.FillDefaults()
	rg.server = &web.Server{Config: cfg, DB: rg.db, Engine: engine, Outbox: out, Lang: "zh-CN", Now: rg.clock.Now, Log: log,
		Requests: h, Digests: &digest.Digests{DB: rg.db, Outbox: out, Log: log}, Open311Token: "s3cret", Pages: web.DefaultPages()}
	rg.http = httptest.NewServer(rg.server.Handler())
	t.Cleanup(rg.http.Close)
	return rg
}

// seed stores the community's requests and notes its people.
func (rg *rig) seed(tx *storage.Tx, cm storage.Community) error {
	depts, err := tx.Departments(cm.ID)
	if err != nil {
		return err
	}
	buildings, err := tx.Buildings(cm.ID)
	if err != nil {
		return err
	}
	dept := func(key string) int64 {
		for _, d := range depts {
			if d.Key == key {
				return d.ID
			}
		}
		return 0
	}
	building := func(key string) int64 {
		for _, b := range buildings {
			if b.Key == key {
				return b.ID
			}
		}
		return 0
	}
	resident, err := tx.ResolvePerson(cm.ID, "console", "居民"+cm.Key, "居民甲")
	if err != nil {
		return err
	}
	add := func(text, buildingKey, deptKey string) error {
		r := storage.Request{CommunityID: cm.ID, Kind: storage.KindRepair, Text: text, BuildingID: building(buildingKey),
			PersonID: resident.ID, State: storage.StateSubmitted, StageDueAt: rg.clock.Now().Add(-time.Hour)}
		id, err := tx.CreateRequest(r)
		if err != nil {
			return err
		}
		rg.refs[text] = requests.Ref(r.Kind, id)
		if deptKey == "" {
			return nil
		}
		r.ID, r.State, r.DepartmentID = id, storage.StateDispatched, dept(deptKey)
		return tx.SaveRequest(r)
	}
	if cm.Key == "lianhua" {
		return add(textLianhua, "lb1", "wuye")
	}
	for _, x := range []struct{ text, building, dept string }{
		{textWuye, "b1", "wuye"}, {textGongdian, "b5", "gongdian"}, {textOpen + " 13812345678", "b3", ""}} {
		if err := add(x.text, x.building, x.dept); err != nil {
			return err
		}
	}
	rg.refs[textOpen] = rg.refs[textOpen+" 13812345678"]
	return nil
}

func (rg *rig) update(fn func(tx *storage.Tx) error) {
	rg.t.Helper()
	if err := rg.db.Update(context.Background(), fn); err != nil {
		rg.t.Fatal(err)
	}
}

// person returns a configured person's id by name.
func (rg *rig) person(name string) int64 {
	rg.t.Helper()
	var id int64
	err := rg.db.View(context.Background(), func(tx *storage.Tx) error {
		people, err := tx.FindPeopleByUser("console", name)
		if err == nil && len(people) > 0 {
			id = people[0].ID
		}
		return err
	})
	if err != nil || id == 0 {
		rg.t.Fatalf("no person %s: %v", name, err)
	}
	return id
}

// link issues a login link token for a person, as #登录 does.
func (rg *rig) link(name string) string {
	rg.t.Helper()
	var token string
	id := rg.person(name)
	rg.update(func(tx *storage.Tx) error {
		var err error
		token, err = weblogin.Issue(tx, id, rg.clock.Now())
		return err
	})
	return token
}

// client returns a browser-like client (cookies, no redirects followed).
func (rg *rig) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login opens a fresh link as the person and returns their logged-in client.
func (rg *rig) login(name string) *http.Client {
	rg.t.Helper()
	c := rg.client()
	resp := rg.redeem(c, rg.link(name))
	if resp.code != http.StatusOK || len(c.Jar.Cookies(mustURL(rg.http.URL))) != 1 {
		rg.t.Fatalf("login %s: %d %s", name, resp.code, resp.body)
	}
	return c
}

// redeem posts a link's token, as the button on the link's page does.
func (rg *rig) redeem(c *http.Client, token string) response {
	rg.t.Helper()
	return rg.do(c, http.MethodPost, "/login", "t="+url.QueryEscape(token), nil)
}

type response struct {
	code   int
	body   string
	header http.Header
}

func (rg *rig) get(c *http.Client, path string) response {
	rg.t.Helper()
	return rg.do(c, http.MethodGet, path, "", nil)
}

func (rg *rig) do(c *http.Client, method, path, form string, header map[string]string) response {
	rg.t.Helper()
	req, err := http.NewRequest(method, rg.http.URL+path, strings.NewReader(form))
	if err != nil {
		rg.t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		rg.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{code: resp.StatusCode, body: string(b), header: resp.Header}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
