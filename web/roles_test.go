package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Each role sees exactly its share of the requests, in every page, the
// exports and the ticket pages; Open311 (a token, not a person) sees every
// community with personal data masked.
func TestEachRoleSeesExactlyItsShare(t *testing.T) {
	rg := newRig(t)
	all := []string{textWuye, textGongdian, textOpen, textLianhua}
	tests := []struct {
		name string
		sees []string
	}{
		{"陈社工", []string{textWuye, textGongdian, textOpen}},               // staff: the community
		{"物业小周", []string{textWuye}},                                      // department: its tickets
		{"供电小孙", []string{textGongdian}},                                  // another department
		{"王网格员", []string{textWuye, textOpen}},                            // grid g1: 1栋 and 3栋
		{"街道老赵", []string{textWuye, textGongdian, textOpen, textLianhua}}, // street: both communities
		{"莲花李社工", []string{textLianhua}},                                  // staff of the other community
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := rg.login(tt.name)
			queue := rg.get(c, "/queue?state=all").body
			search := rg.get(c, "/search?q=楼").body + rg.get(c, "/search?q=停电").body + rg.get(c, "/search?q=漏水").body
			ledger := rg.ledgerRefs(c)
			for _, text := range all {
				ref := rg.refs[text]
				want := contains(tt.sees, text)
				if got := strings.Contains(queue, text); got != want {
					t.Errorf("queue shows %s = %v, want %v", text, got, want)
				}
				if text != textLianhua || want { // the short word 楼 also finds it
					if got := strings.Contains(search, text); got != want {
						t.Errorf("search finds %s = %v, want %v", text, got, want)
					}
				}
				page := rg.get(c, "/tickets/"+ref)
				if got := page.code == http.StatusOK && strings.Contains(page.body, text); got != want {
					t.Errorf("ticket page %s: %d, shown = %v, want %v", ref, page.code, got, want)
				}
				if got := strings.Contains(ledger, ref+"\n"); got != want {
					t.Errorf("ledger has %s = %v, want %v (%q)", ref, got, want, ledger)
				}
			}
		})
	}
}

// ledgerRefs downloads the viewer's ledger of every community offered and
// returns the IDs in it, one a line.
func (rg *rig) ledgerRefs(c *http.Client) string {
	rg.t.Helper()
	page := rg.get(c, "/exports").body
	var out strings.Builder
	for _, cm := range []string{"1", "2"} {
		if !strings.Contains(page, `value="`+cm+`"`) {
			continue
		}
		resp := rg.get(c, "/exports/requests.xlsx?c="+cm+"&month=2026-11")
		if resp.code != http.StatusOK {
			rg.t.Fatalf("export: %d %s", resp.code, resp.body)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(resp.body)))
		if err != nil {
			rg.t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			rg.t.Fatal(err)
		}
		for _, row := range rows[1:] {
			out.WriteString(row[0] + "\n")
		}
	}
	return out.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Overseers' pages are refused to departments and grid workers.
func TestCommunityPagesAreForOverseersOnly(t *testing.T) {
	rg := newRig(t)
	for _, name := range []string{"物业小周", "王网格员"} {
		c := rg.login(name)
		for _, path := range []string{"/street", "/digests", "/polls"} {
			if got := rg.get(c, path); got.code != http.StatusForbidden {
				t.Errorf("%s %s: %d, want 403", name, path, got.code)
			}
		}
	}
	c := rg.login("街道老赵")
	street := rg.get(c, "/street").body
	for _, name := range []string{"和平路社区", "莲花社区"} {
		if !strings.Contains(street, name) {
			t.Errorf("street rollup lacks %s", name)
		}
	}
	if d := rg.get(c, "/digests?date=2026-11-19"); d.code != http.StatusOK || !strings.Contains(d.body, "和平路社区") {
		t.Errorf("digest page: %d\n%s", d.code, d.body)
	}
}

func TestOpen311NeedsTheTokenAndMasksPersonalData(t *testing.T) {
	rg := newRig(t)
	c := rg.client()
	for _, key := range []string{"", "s3cre", "s3cret!"} {
		if got := rg.get(c, "/open311/v2/requests.json?api_key="+key); got.code != http.StatusUnauthorized {
			t.Errorf("api_key %q: %d, want 401", key, got.code)
		}
	}
	resp := rg.do(c, http.MethodGet, "/open311/v2/requests.json", "", map[string]string{"Authorization": "Bearer s3cret"})
	var list []map[string]string
	if err := json.Unmarshal([]byte(resp.body), &list); err != nil {
		t.Fatalf("%d %s: %v", resp.code, resp.body, err)
	}
	if len(list) != 4 {
		t.Fatalf("got %d requests, want 4: %s", len(list), resp.body)
	}
	for _, field := range []string{"service_request_id", "status", "service_name", "service_code", "description",
		"requested_datetime", "updated_datetime", "address"} {
		if _, ok := list[0][field]; !ok {
			t.Errorf("requests.json lacks %s", field)
		}
	}
	if strings.Contains(resp.body, "13812345678") || strings.Contains(resp.body, "居民甲") {
		t.Errorf("personal data leaked: %s", resp.body)
	}
	if !strings.Contains(resp.body, "138****5678") || !strings.Contains(resp.body, `"status":"open"`) {
		t.Errorf("want the masked number and open statuses: %s", resp.body)
	}
	one := rg.get(c, "/open311/v2/requests.json?api_key=s3cret&service_request_id="+rg.refs[textLianhua]).body
	if !strings.Contains(one, textLianhua) || strings.Contains(one, textWuye) {
		t.Errorf("service_request_id filter: %s", one)
	}
	services := rg.get(c, "/open311/v2/services.json?api_key=s3cret").body
	if !strings.Contains(services, `"service_code":"repair"`) || !strings.Contains(services, `"service_name":"报修"`) {
		t.Errorf("services.json: %s", services)
	}
}
