// Package store keeps received bounce messages, the events parsed from them
// and the suppression list in one bbolt file.
//
// Layout (all integers big-endian, so byte order is numeric order):
//
//	meta                  "schema" -> uint32 schema version
//	messages              msgID (uint64) -> JSON Message without Raw
//	raw                   msgID (uint64) -> the message bytes as received
//	events                eventID (uint64) -> JSON Event
//	events_by_recipient   address 0x00 eventID -> empty
//	suppressions          address -> JSON Suppression
//
// Message and event ids come from the buckets' sequences, so they grow with
// commit order and a key range is a time range.
//
// All writes go through one goroutine that commits whatever is queued in a
// single transaction (group commit). Deliver returns only after the
// transaction holding its message has been fsynced.
package store
