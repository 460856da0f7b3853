package dsn

import (
	"bufio"
	"io"
	"sync"
)

// readerPool holds the bufio.Readers of header reads. Each Parse call
// reads several header sections, and a fresh 4 KiB buffer for each was
// a large share of what parsing allocated.
var readerPool = sync.Pool{
	New: func() any { return bufio.NewReader(nil) },
}

// getReader returns a pooled bufio.Reader of the default size reading
// from r. Hand it back with putReader once nothing refers to its buffer.
func getReader(r io.Reader) *bufio.Reader {
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	readerPool.Put(br)
}
