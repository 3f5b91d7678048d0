package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// A ticket's photo is served to those who see the ticket, and to nobody else,
// whichever ticket's address it is asked under.
func TestPhotosFollowTheirTicket(t *testing.T) {
	rg := newRig(t)
	var blob int64
	ref := rg.refs[textWuye]
	rg.update(func(tx *storage.Tx) error {
		var err error
		blob, err = tx.CreateBlob(storage.Blob{CommunityID: 1, Kind: storage.BlobImage, Name: "a.jpg", MIME: "image/jpeg",
			Data: []byte("\xff\xd8\xff photo")})
		if err != nil {
			return err
		}
		return tx.AttachToRequest(atoi(ref[1:]), blob, "report", 0)
	})
	photo := "/photos/" + itoa(blob)
	zhou := rg.login("物业小周")
	if page := rg.get(zhou, "/tickets/"+ref).body; !strings.Contains(page, photo) {
		t.Errorf("the ticket page does not show its photo:\n%s", page)
	}
	if got := rg.get(zhou, "/tickets/"+ref+photo); got.code != http.StatusOK || got.header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("own photo: %d %s", got.code, got.header.Get("Content-Type"))
	}
	sun := rg.login("供电小孙")
	for _, path := range []string{"/tickets/" + ref + photo, "/tickets/" + rg.refs[textGongdian] + photo} {
		if got := rg.get(sun, path); got.code != http.StatusNotFound || strings.Contains(got.body, "photo") {
			t.Errorf("another department's photo %s: %d", path, got.code)
		}
	}
}

// The queue's filters answer htmx with the rows alone, filtered.
func TestQueueFiltersAnswerHtmxWithTheRows(t *testing.T) {
	rg := newRig(t)
	c := rg.login("陈社工")
	got := rg.do(c, http.MethodGet, "/queue?state=all&dept="+"%E7%89%A9%E4%B8%9A", "", map[string]string{"HX-Request": "true"})
	if strings.Contains(got.body, "<html") || !strings.Contains(got.body, "<table") {
		t.Fatalf("an htmx request got more than the rows:\n%s", got.body)
	}
	if !strings.Contains(got.body, textWuye) || strings.Contains(got.body, textGongdian) || strings.Contains(got.body, textOpen) {
		t.Errorf("filter by department 物业:\n%s", got.body)
	}
	overdue := rg.get(c, "/queue?state=overdue").body
	if !strings.Contains(overdue, `class="overdue"`) || !strings.Contains(overdue, textWuye) {
		t.Errorf("overdue tickets are not marked:\n%s", overdue)
	}
	grid := rg.get(c, "/queue?state=all&grid="+"%E7%AC%AC%E4%BA%8C%E7%BD%91%E6%A0%BC").body // 第二网格: 5号楼
	if !strings.Contains(grid, textGongdian) || strings.Contains(grid, textWuye) {
		t.Errorf("filter by grid 第二网格:\n%s", grid)
	}
}

func TestChartsAndSingleOpen311Requests(t *testing.T) {
	rg := newRig(t)
	if got := rg.get(rg.login("王网格员"), "/polls/1/chart.png"); got.code != http.StatusForbidden {
		t.Errorf("a grid worker's chart: %d, want 403", got.code)
	}
	if got := rg.get(rg.login("陈社工"), "/polls/1/chart.png"); got.code != http.StatusNotFound {
		t.Errorf("a poll that does not exist: %d, want 404", got.code)
	}
	ref := rg.refs[textGongdian]
	one := rg.get(rg.client(), "/open311/v2/requests/"+ref+".json?api_key=s3cret")
	if one.code != http.StatusOK || strings.Count(one.body, "service_request_id") != 1 || !strings.Contains(one.body, ref) {
		t.Errorf("requests/%s.json: %d %s", ref, one.code, one.body)
	}
	closed := rg.get(rg.client(), "/open311/v2/requests.json?api_key=s3cret&status=closed").body
	if strings.TrimSpace(closed) != "[]" {
		t.Errorf("no request is closed: %s", closed)
	}
}

// A ticket's button is the chat command from the viewer: 物业 accepts its
// ticket and the page shows the bot's answer; another department cannot
// even reach it.
func TestTicketButtonsActThroughTheEngine(t *testing.T) {
	rg := newRig(t)
	ref := rg.refs[textWuye]
	if got := rg.do(rg.login("供电小孙"), http.MethodPost, "/tickets/"+ref, "action=accept", nil); got.code != http.StatusNotFound {
		t.Errorf("another department's accept: %d, want 404", got.code)
	}
	if st := rg.state(ref); st != storage.StateDispatched {
		t.Fatalf("the ticket moved to %s", st)
	}
	got := rg.do(rg.login("物业小周"), http.MethodPost, "/tickets/"+ref, "action=accept", nil)
	if st := rg.state(ref); st != storage.StateAccepted || !strings.Contains(got.body, "已接单 "+ref) {
		t.Errorf("accept: state %s, page %d:\n%s", st, got.code, got.body)
	}
	if bad := rg.do(rg.login("物业小周"), http.MethodPost, "/tickets/"+ref, "action=drop+table", nil); bad.code != http.StatusBadRequest {
		t.Errorf("an unknown action: %d, want 400", bad.code)
	}
}
