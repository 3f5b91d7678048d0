package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// The role matrix of the feature pages: each role opens exactly the pages it
// may, sees exactly its communities' projects, activities, hours and
// evaluations, and names only where the chat shows them. TestFeaturePages
// runs it on its rig (one rig: the CI budget).
func eachRoleSeesItsShareOfTheFeaturePages(t *testing.T, rg *rig) {
	type share struct {
		pages []string // the pages it opens (others: 403, and not in the menu)
		shows []string // markers shown across those pages
		names bool     // sign-ups and volunteers by name
	}
	features := []string{"/projects", "/activities", "/volunteers", "/evaluations"}
	overseer := []string{projWuye, projGongdian, actTitle, teamName, evalClosed, evalOpen}
	tests := []struct {
		name string
		want share
	}{
		{"陈社工", share{pages: features, shows: overseer, names: true}},                // staff
		{"物业小周", share{pages: []string{"/projects"}, shows: []string{projWuye}}},     // department: its project
		{"供电小孙", share{pages: []string{"/projects"}, shows: []string{projGongdian}}}, // another department
		{"王网格员", share{}},                                 // grid worker: none of these
		{"街道老赵", share{pages: features, shows: overseer}}, // street: figures, no names
		{"莲花李社工", share{pages: features}},                 // other community: nothing of heping
	}
	markers := append(overseer, waiting, volunteer, candSecret)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := rg.login(tt.name)
			menu := rg.get(c, "/queue").body
			var seen strings.Builder
			for _, path := range features {
				page := rg.get(c, path)
				allowed := contains(tt.want.pages, path)
				if want := map[bool]int{true: http.StatusOK, false: http.StatusForbidden}[allowed]; page.code != want {
					t.Errorf("%s: %d, want %d", path, page.code, want)
				}
				if got := strings.Contains(menu, `href="`+path+`"`); got != allowed {
					t.Errorf("menu links %s = %v, want %v", path, got, allowed)
				}
				if allowed {
					seen.WriteString(page.body)
				}
			}
			for _, m := range markers {
				want := contains(tt.want.shows, m) || (tt.want.names && (m == waiting || m == volunteer))
				if got := strings.Contains(seen.String(), m); got != want {
					t.Errorf("shows %s = %v, want %v", m, got, want)
				}
			}
		})
	}
}
