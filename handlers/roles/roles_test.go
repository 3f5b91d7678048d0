package roles_test

import (
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/roles"
	"github.com/qiao-community/qiao/storage"
)

func TestPermissions(t *testing.T) {
	b3 := &storage.Group{Kind: storage.GroupBuilding, Building: "b3", Grid: "g1"}
	b5 := &storage.Group{Kind: storage.GroupBuilding, Building: "b5", Grid: "g2"}
	person := func(role, scope string) storage.Person {
		if role == "" {
			return storage.Person{}
		}
		return storage.Person{Roles: []storage.Role{{Role: role, Scope: scope}}}
	}
	tests := []struct {
		who   string
		p     storage.Person
		group *storage.Group
		// want: StaffOnly, Leaders, AdminOnly, Dispatchers, DepartmentOrStaff
		want [5]bool
	}{
		{"resident", person("", ""), b3, [5]bool{}},
		{"staff", person(storage.RoleStaff, ""), nil, [5]bool{true, true, false, true, true}},
		{"admin", person(storage.RoleAdmin, ""), b5, [5]bool{true, true, true, true, true}},
		{"captain at home", person(storage.RoleCaptain, "b3"), b3, [5]bool{false, true, false, false, false}},
		{"captain elsewhere", person(storage.RoleCaptain, "b3"), b5, [5]bool{}},
		{"captain in private", person(storage.RoleCaptain, "b3"), nil, [5]bool{}},
		{"grid worker in grid", person(storage.RoleGridWorker, "g1"), b3, [5]bool{false, true, false, true, false}},
		{"grid worker elsewhere", person(storage.RoleGridWorker, "g1"), b5, [5]bool{false, false, false, true, false}},
		{"department", person(storage.RoleDepartment, "property"), b3, [5]bool{false, false, false, false, true}},
	}
	perms := []*bot.Permission{roles.StaffOnly, roles.Leaders, roles.AdminOnly, roles.Dispatchers, roles.DepartmentOrStaff}
	for _, tt := range tests {
		c := &bot.Context{Person: tt.p, Group: tt.group}
		for i, perm := range perms {
			if got := perm.Allow(c); got != tt.want[i] {
				t.Errorf("%s: %s allows = %v, want %v", tt.who, perm.Who, got, tt.want[i])
			}
		}
	}
}
