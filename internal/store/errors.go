package store

import "errors"

// ErrNotFound is returned by lookups when no record has the given key.
var ErrNotFound = errors.New("store: not found")

// ErrClosed is returned by Deliver when the store is closing or closed.
var ErrClosed = errors.New("store: closed")

// ErrSchemaTooNew is returned by Open when the file was written by a newer
// bounced whose schema this one does not know.
var ErrSchemaTooNew = errors.New("store: schema version is newer than this program supports")
