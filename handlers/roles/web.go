package roles

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// WebStaff may log in to the staff web page: staff and admins, grid workers,
// department members and 街道 (street) officers. What each then sees is
// decided by the same roles (web.Viewer).
var WebStaff = &bot.Permission{Who: "role.web", Allow: func(c *bot.Context) bool { return IsWebStaff(c.Person) }}

// IsWebStaff reports whether a person holds a role the web page serves.
func IsWebStaff(p storage.Person) bool {
	return p.IsStaff() || p.Has(storage.RoleGridWorker, "") || p.Has(storage.RoleDepartment, "") || p.Has(storage.RoleStreet, "")
}
