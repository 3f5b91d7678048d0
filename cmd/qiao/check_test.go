package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

func TestCheckCommand(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "qiao.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetValue(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	t.Run("sound database, open beside the bot", func(t *testing.T) {
		var out, errOut strings.Builder
		if err := Main(ctx, []string{"check", "-db", path}, strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("check: %v\n%s", err, errOut.String())
		}
		if !strings.Contains(out.String(), "is sound (integrity_check") {
			t.Errorf("output: %q", out.String())
		}
	})
	t.Run("damaged file", func(t *testing.T) {
		garbage := filepath.Join(t.TempDir(), "garbage.db")
		if err := os.WriteFile(garbage, []byte(strings.Repeat("not sqlite ", 1000)), 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errOut strings.Builder
		err := Main(ctx, []string{"check", "-db", garbage}, strings.NewReader(""), &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "qiao restore") {
			t.Fatalf("err = %v, want a damaged-database error naming qiao restore", err)
		}
	})
}
