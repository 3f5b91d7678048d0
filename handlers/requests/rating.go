package requests

import "github.com/qiao-community/qiao/handlers/ratings"

// readRating reads a rating in everyday words; the vocabulary is shared with
// project 评议 (handlers/ratings).
func readRating(s string) ratings.Reading { return ratings.Read(s) }
