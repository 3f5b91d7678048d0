// Package storage keeps Qiao's state in SQLite: the community model, people and
// roles, requests, the inbound dedupe table and the outbox.
//
// Every change runs inside DB.Update, which hands the callback a *Tx carrying one
// timestamp; the messages that announce a change are enqueued on the same Tx, so
// either both commit or neither does. Storage knows nothing of chat platforms.
package storage
