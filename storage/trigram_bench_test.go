package storage_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// BenchmarkSimilarOpenTickets is the duplicate check over 4,096 indexed
// reports, with the tail empty and with a full batch less one not yet indexed:
// what reading the tail directly costs a new report.
func BenchmarkSimilarOpenTickets(b *testing.B) {
	words := []string{"楼道灯坏了", "电梯停在三楼不动", "厨房水管漏水", "单元门禁刷不开", "屋顶漏雨"}
	for _, tail := range []int{0, storage.DefaultTrigramBatch - 1} {
		b.Run(fmt.Sprintf("tail=%d", tail), func(b *testing.B) {
			d := openTrigramDB(b, filepath.Join(b.TempDir(), "qiao.db"), 4096)
			for _, n := range []int{4096, tail} {
				err := d.db.Update(ctx, func(tx *storage.Tx) error {
					for i := range n {
						if err := d.report(tx, fmt.Sprintf("%s（%d）", words[i%len(words)], i)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			trigrams := []string{"电梯停", "梯停在", "停在三", "在三楼", "三楼不", "楼不动"}
			for b.Loop() {
				err := d.db.View(ctx, func(tx *storage.Tx) error {
					_, err := tx.SimilarOpenTickets(storage.SimilarParams{CommunityID: d.cid, BuildingID: d.building, Trigrams: trigrams, Limit: 10})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
