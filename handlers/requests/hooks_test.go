package requests

// SetLedgerPageSize sets how many requests an export reads at a time (so a
// test crosses page boundaries with a few rows) and returns a function that
// restores it.
func SetLedgerPageSize(n int) (restore func()) {
	old := ledgerPageSize
	ledgerPageSize = n
	return func() { ledgerPageSize = old }
}
