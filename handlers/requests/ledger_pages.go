package requests

import "github.com/qiao-community/qiao/storage"

// ledgerPageSize is how many requests an export holds in memory at a time.
var ledgerPageSize = 500

// ledgerPages reads the requests of an export a page at a time, in the order
// they were registered, with each page's dispatch and accept times and photo
// counts read in two queries: a year of a district's requests never sits in
// memory at once.
type ledgerPages struct {
	tx     *storage.Tx
	filter storage.RequestFilter
	page   []storage.Request
	facts  map[int64]storage.LedgerFacts
	done   bool
}

// next returns the next request and its facts; ok is false after the last.
func (p *ledgerPages) next() (r storage.Request, facts storage.LedgerFacts, ok bool, err error) {
	if len(p.page) == 0 {
		if p.done {
			return r, facts, false, nil
		}
		f := p.filter
		f.Limit, f.Paged = ledgerPageSize, true
		if p.page, err = p.tx.FindRequests(f); err != nil {
			return r, facts, false, err
		}
		if len(p.page) < ledgerPageSize {
			p.done = true
		}
		if len(p.page) == 0 {
			return r, facts, false, nil
		}
		last := p.page[len(p.page)-1]
		p.filter.AfterAt, p.filter.AfterID = last.CreatedAt, last.ID
		ids := make([]int64, len(p.page))
		for i, x := range p.page {
			ids[i] = x.ID
		}
		if p.facts, err = p.tx.LedgerFacts(ids); err != nil {
			return r, facts, false, err
		}
	}
	r, p.page = p.page[0], p.page[1:]
	return r, p.facts[r.ID], true, nil
}
