package jielong

// Line is one line of a canonical list, as merge sees it.
type Line struct {
	ID       int64
	Key      string
	Text     string
	AuthorID int64 // who first posted the line
	Removed  bool  // taken out by its author
	Reported bool  // its loss was told to the group already
}

// Change is what one re-post does to the canonical list.
type Change struct {
	Added   []Entry // entries not in the list yet
	Edited  []Edit  // entries whose text changed
	Removed []Line  // lines their own author left out: withdrawn
	Lost    []Line  // lines someone else left out: most likely two people re-posted at once
	Back    []Line  // withdrawn lines posted again
}

// Edit is a line whose text a re-post changed.
type Edit struct {
	Line  Line
	Entry Entry
}

// Merge compares a post with the canonical lines. An entry is the same line
// as a canonical one when its name matches (the nth entry of a name matches
// the nth line of it), so renumbering and edited notes keep their line. A
// line missing from the post is withdrawn when the poster wrote it, lost
// otherwise: the canonical list keeps a lost line, because only its author
// may take it out.
func Merge(lines []Line, post []Entry, poster int64) Change {
	var ch Change
	byKey := map[string][]int{}
	for i, l := range lines {
		byKey[l.Key] = append(byKey[l.Key], i)
	}
	seen := make([]bool, len(lines))
	used := map[string]int{}
	for _, e := range post {
		k := Key(e.Name)
		n := used[k]
		used[k]++
		if n >= len(byKey[k]) {
			ch.Added = append(ch.Added, e)
			continue
		}
		i := byKey[k][n]
		seen[i] = true
		l := lines[i]
		if l.Removed {
			ch.Back = append(ch.Back, l)
		}
		if l.Text != e.Text {
			ch.Edited = append(ch.Edited, Edit{Line: l, Entry: e})
		}
	}
	for i, l := range lines {
		if seen[i] || l.Removed {
			continue
		}
		if l.AuthorID == poster {
			ch.Removed = append(ch.Removed, l)
		} else {
			ch.Lost = append(ch.Lost, l)
		}
	}
	return ch
}
