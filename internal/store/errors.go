package store

import "errors"

// ErrNotFound is returned by lookups when no record has the given key.
var ErrNotFound = errors.New("store: not found")

// ErrDuplicate is returned by Deliver for a message whose ImportDigest
// an earlier import stored; msg.ID is then set to that message's id.
var ErrDuplicate = errors.New("store: message already imported")

// ErrClosed is returned by Deliver when the store is closing or closed.
var ErrClosed = errors.New("store: closed")

// ErrSchemaTooNew is returned by Open when the file was written by a newer
// bounced whose schema this one does not know.
var ErrSchemaTooNew = errors.New("store: schema version is newer than this program supports")
