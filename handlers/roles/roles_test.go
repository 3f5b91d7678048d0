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

// Who leads a group: polls, notices and activities all ask this one rule.
func TestLeads(t *testing.T) {
	building3 := storage.Group{Name: "3栋居民群", Building: "3栋", Grid: "第一网格"}
	compound := storage.Group{Name: "交警大院群", Grid: "第二网格"}
	person := func(roles ...storage.Role) storage.Person { return storage.Person{Roles: roles} }
	for _, c := range []struct {
		who  string
		p    storage.Person
		g    storage.Group
		want bool
	}{
		{"staff", person(storage.Role{Role: storage.RoleStaff}), compound, true},
		{"captain of 3栋 in 3栋", person(storage.Role{Role: storage.RoleCaptain, Scope: "3栋"}), building3, true},
		{"captain of 5栋 in 3栋", person(storage.Role{Role: storage.RoleCaptain, Scope: "5栋"}), building3, false},
		{"captain in a group of no building", person(storage.Role{Role: storage.RoleCaptain, Scope: "3栋"}), compound, false},
		{"grid worker of its grid", person(storage.Role{Role: storage.RoleGridWorker, Scope: "第二网格"}), compound, true},
		{"grid worker of another grid", person(storage.Role{Role: storage.RoleGridWorker, Scope: "第二网格"}), building3, false},
		{"resident", person(storage.Role{Role: storage.RoleResident}), building3, false},
	} {
		if got := roles.Leads(c.p, c.g); got != c.want {
			t.Errorf("%s: Leads = %v, want %v", c.who, got, c.want)
		}
	}
}
