package storage

import (
	"database/sql"
	"reflect"
	"testing"
	"time"
)

// TestNullArgumentsConvertAsNullInt64: nullID and nullTime reach the driver
// as the sql.NullInt64 they replaced did.
func TestNullArgumentsConvertAsNullInt64(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct{ got, want any }{
		{nullID(0), sql.NullInt64{}},
		{nullID(7), sql.NullInt64{Int64: 7, Valid: true}},
		{nullID(1 << 40), sql.NullInt64{Int64: 1 << 40, Valid: true}},
		{nullTime(time.Time{}), sql.NullInt64{}},
		{nullTime(at), sql.NullInt64{Int64: at.Unix(), Valid: true}},
	}
	for _, c := range cases {
		got, gerr := DriverArgs(nil, []any{c.got})
		want, werr := DriverArgs(nil, []any{c.want})
		if gerr != nil || werr != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%#v: %#v (%v), want %#v (%v)", c.want, got, gerr, want, werr)
		}
	}
}
