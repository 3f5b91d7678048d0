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
		if strings.Contains(page, `value="`+cm+`"`) {
			for _, row := range rg.ledgerRows(c, cm)[1:] {
				out.WriteString(row[0] + "\n")
			}
		}
	}
	return out.String()
}

// ledgerRows downloads the viewer's ledger of a community (by id) for November.
func (rg *rig) ledgerRows(c *http.Client, community string) [][]string {
	rg.t.Helper()
	resp := rg.get(c, "/exports/requests.xlsx?c="+community+"&month=2026-11")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(resp.body)))
	if err != nil {
		rg.t.Fatalf("export: %d %v", resp.code, err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		rg.t.Fatal(err)
	}
	return rows
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

// A 街道 officer oversees figures, not people: no reporter names and masked
// numbers, where staff of the community read them as in chat.
func TestStreetOfficersDoNotReadResidentsDetails(t *testing.T) {
	rg := newRig(t)
	ref := rg.refs[textOpen]
	staff, street := rg.login("陈社工"), rg.login("街道老赵")
	if page := rg.get(staff, "/tickets/"+ref).body; !strings.Contains(page, "居民甲") || !strings.Contains(page, "13812345678") {
		t.Errorf("staff do not read the details:\n%s", page)
	}
	for _, path := range []string{"/tickets/" + ref, "/queue", "/search?q=漏水"} {
		page := rg.get(street, path).body
		if strings.Contains(page, "居民甲") || strings.Contains(page, "13812345678") || !strings.Contains(page, "138****5678") {
			t.Errorf("%s shows a 街道 officer the resident's details:\n%s", path, page)
		}
	}
	if cells := rg.ledgerCells(staff); !strings.Contains(cells, "居民甲") {
		t.Errorf("the staff ledger lacks the reporter: %s", cells)
	}
	if cells := rg.ledgerCells(street); strings.Contains(cells, "居民甲") || !strings.Contains(cells, ref) {
		t.Errorf("the 街道 ledger names the reporter: %s", cells)
	}
}

// ledgerCells returns every cell of the viewer's ledger of 和平路社区.
func (rg *rig) ledgerCells(c *http.Client) string {
	var out []string
	for _, row := range rg.ledgerRows(c, "1") {
		out = append(out, strings.Join(row, "|"))
	}
	return strings.Join(out, "\n")
}
