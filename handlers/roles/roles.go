// Package roles holds who may use which command: the community's role rules
// (staff, admin, captain of a building, grid worker of a grid, department
// member) as Permissions for bot.Command.Allow, which the bot.Authorize
// middleware checks. bot knows only the mechanism; the rules live here.
package roles

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// Permissions used by the commands. Who names the prompt that describes the
// people allowed.
var (
	// StaffOnly: community staff and admins.
	StaffOnly = &bot.Permission{Who: "role.staff", Allow: func(c *bot.Context) bool { return c.Person.IsStaff() }}
	// Leaders: staff anywhere; a captain in a group of their building; a grid
	// worker in a group of their grid (or a building group within it).
	Leaders = &bot.Permission{Who: "role.leaders", Allow: LeadsHere}
	// AdminOnly: admins.
	AdminOnly = &bot.Permission{Who: "role.admin", Allow: func(c *bot.Context) bool { return c.Person.Has(storage.RoleAdmin, "") }}
	// Dispatchers: staff and grid workers. The workflow commands also check
	// the sender's relation to the request.
	Dispatchers = &bot.Permission{Who: "role.dispatchers", Allow: func(c *bot.Context) bool {
		return c.Person.IsStaff() || c.Person.Has(storage.RoleGridWorker, "")
	}}
	// Workers: those with a to-do list: staff, grid workers, department members.
	Workers = &bot.Permission{Who: "role.workers", Allow: func(c *bot.Context) bool {
		p := c.Person
		return p.IsStaff() || p.Has(storage.RoleGridWorker, "") || p.Has(storage.RoleDepartment, "")
	}}
	// DepartmentOrStaff: department members and staff.
	DepartmentOrStaff = &bot.Permission{Who: "role.department", Allow: func(c *bot.Context) bool {
		return c.Person.IsStaff() || c.Person.Has(storage.RoleDepartment, "")
	}}
)

// Leads reports whether a person leads a group (may start polls, announce and
// follow it there): staff anywhere, a captain in the groups of their building,
// a grid worker in those of their grid.
func Leads(p storage.Person, g storage.Group) bool {
	switch {
	case p.IsStaff():
		return true
	case g.Building != "" && p.Has(storage.RoleCaptain, g.Building):
		return true
	default:
		return g.Grid != "" && p.Has(storage.RoleGridWorker, g.Grid)
	}
}

// LeadsHere reports whether the sender leads the group the message came from
// (staff lead even in a private chat).
func LeadsHere(c *bot.Context) bool {
	if c.Group == nil {
		return c.Person.IsStaff()
	}
	return Leads(c.Person, *c.Group)
}
