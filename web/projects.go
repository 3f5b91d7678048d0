package web

import (
	"net/http"

	"github.com/qiao-community/qiao/handlers/projects"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// ReadsPeople reports whether the viewer may read the names of a community's
// residents (sign-ups, volunteers), as in chat: its staff. A 街道 officer
// oversees the figures, not the people.
func (v *Viewer) ReadsPeople(communityID int64) bool {
	return communityID == v.Home.ID && v.Person.IsStaff()
}

// seesProjects: those who oversee a community, and departments (the
// projects put in their charge).
func seesProjects(v *Viewer) bool { return v.Overseer() || len(v.depts) > 0 }

type projectLine struct {
	P         storage.Project
	Ref       string
	Community storage.Community
	Dept      string
	Review    storage.Ratings
	Rate      string // 满意率 of the 评议
}

// projects lists the projects of the viewer's share, newest first: progress,
// milestones and the 评议 figures (as #项目 shows them).
func (s *Server) projects(v *Viewer, w http.ResponseWriter, r *http.Request) error {
	var lines []projectLine
	err := s.DB.View(r.Context(), func(tx *storage.Tx) error {
		for _, cm := range projectCommunities(v) {
			depts, err := tx.Departments(cm.ID)
			if err != nil {
				return err
			}
			names := map[int64]string{}
			for _, d := range depts {
				names[d.ID] = d.Name
			}
			list, err := tx.Projects(cm.ID)
			if err != nil {
				return err
			}
			for i := len(list) - 1; i >= 0; i-- {
				p := list[i]
				if !v.whole[cm.ID] && !v.depts[p.DepartmentID] {
					continue
				}
				rt, err := tx.ProjectRatings(p.ID)
				if err != nil {
					return err
				}
				lines = append(lines, projectLine{P: p, Ref: projects.Ref(p.ID), Community: cm, Dept: names[p.DepartmentID],
					Review: rt, Rate: prompts.Percent(rt.Good(), rt.Rated())})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.render(w, r, v, http.StatusOK, "projects.html", lines, nil)
	return nil
}

// projectCommunities are those seen whole, and the home community of a
// department member (their projects in it).
func projectCommunities(v *Viewer) []storage.Community {
	if len(v.depts) > 0 && !v.whole[v.Home.ID] {
		return append(append([]storage.Community{}, v.Whole...), v.Home)
	}
	return v.Whole
}
