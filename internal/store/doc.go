// Package store keeps received bounce messages, the events parsed from them
// and the suppression list in one bbolt file.
//
// Layout of schema version 5. Integers and times are big-endian, times as
// Unix nanoseconds, so byte order is numeric order and a key range is a
// time range. "\0" separates a string from what follows it.
//
//	meta                       "schema" -> uint32 schema version
//	messages                   msgID -> JSON Message without Raw
//	raw                        msgID -> codec byte, then the compressed
//	                           message, up to 16 KiB of it; the codec is
//	                           S2 (2) up to 64 KiB of message, else zstd (1)
//	raw                        msgID chunk -> the next 16 KiB; chunk is a
//	                           uint32 from 1
//	quarantine                 msgID -> empty; messages that did not parse
//	events                     eventID -> JSON Event
//	events_by_recipient        address \0 time eventID -> empty
//	events_by_domain           domain \0 time eventID -> empty
//	events_by_provider         provider \0 time eventID -> empty
//	events_by_reason           reason \0 time eventID -> empty
//	events_by_time             time eventID -> empty
//	events_by_message          msgID eventID -> empty
//	suppressions               address -> JSON Suppression
//	suppressions_by_domain     domain \0 address -> empty
//	suppressions_by_expiry     expiry address -> empty
//	soft_counts                address -> JSON list of recent soft bounce times
//	imported                   SHA-256 of an imported message -> msgID
//
// NOTE: retention does not prune the imported bucket (32 bytes of digest
// and 8 of id per imported message), so a message imported again after
// retention deleted it is still skipped.
//
// Message and event ids come from the buckets' sequences, so they grow with
// commit order. A domain-wide entry has the address "*@domain".
//
// Version 1 (raw stored uncompressed, only the recipient index, entries
// without a kind), version 2 (recipient index in id order, not time
// order), version 3 (each raw message in one value) and version 4 (zstd
// only) are migrated in the transaction that opens them.
//
// All writes go through one goroutine that commits whatever is queued in a
// single transaction (group commit). Deliver returns only after the
// transaction holding its message has been fsynced. The suppression policy
// runs inside that transaction, so a count over a window includes every
// earlier event of the address.
//
// Retention deletes raw messages older than Options.RawRetention, events
// and message records older than Options.EventRetention and expired
// entries, a few hundred records per transaction, through the same writer. bbolt puts the freed pages on its freelist and reuses them for
// later writes, so under steady load the file stops growing once it holds
// one retention window; it never shrinks by itself. See docs/store.md for
// when to compact.
package store
