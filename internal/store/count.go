package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// SuppressionsByReason returns the number of suppression list entries for
// each reason.
//
// NOTE: it reads every entry, so its cost grows with the list: it suits a
// scrape every 15 s or more up to a few hundred thousand entries. A count
// kept in the commit transaction would make it constant.
func (s *Store) SuppressionsByReason() (map[string]int, error) {
	counts := make(map[string]int)
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSuppressions).ForEach(func(k, v []byte) error {
			var sup struct {
				Reason string `json:"reason"`
			}
			if err := json.Unmarshal(v, &sup); err != nil {
				return fmt.Errorf("decoding suppression of %q: %w", k, err)
			}
			counts[sup.Reason]++
			return nil
		})
	})
	return counts, err
}
