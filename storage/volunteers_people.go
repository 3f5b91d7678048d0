package storage

// FindPersonByKey finds a configured person by their config key.
func (tx *Tx) FindPersonByKey(communityID int64, key string) (Person, error) {
	return tx.findPerson(`p.community_id = ? AND p.key = ?`, communityID, key)
}
