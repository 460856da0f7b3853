package dsn

import (
	"bufio"
	"bytes"
	"io"
	"sync"
)

// readerPool holds the bufio.Readers of header reads. Each Parse call
// reads several header sections, and a fresh 4 KiB buffer for each was
// a large share of what parsing allocated.
var readerPool = sync.Pool{
	New: func() any { return bufio.NewReaderSize(nil, headerLineBuffer) },
}

// headerLineBuffer is the size of the buffers of readerPool: a line
// longer than that, LF included, is read in pieces.
const headerLineBuffer = 4096

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

// bufferPool holds the buffers that part bodies are read into.
var bufferPool = sync.Pool{
	New: func() any { return new([]byte) },
}

// readBody reads at most limit bytes of r into a pooled buffer, as
// io.ReadAll(io.LimitReader(r, limit)) does. The buffer goes back to the
// pool when Parse returns (see release), so nothing kept in the report
// may refer to it. The body of a rawBody is returned as it is, not
// copied, and must not be modified either.
func (p *parser) readBody(r io.Reader, limit int) ([]byte, error) {
	if raw, ok := r.(*rawBody); ok {
		return raw.data[:min(len(raw.data), limit)], nil
	}

	bp := bufferPool.Get().(*[]byte)
	p.buffers = append(p.buffers, bp)

	buf := (*bp)[:0]
	lr := io.LimitReader(r, int64(limit))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			*bp = buf
			if err == io.EOF {
				err = nil
			}
			return buf, err
		}
	}
}

// release hands the buffers of readBody back to the pool.
func (p *parser) release() {
	for _, bp := range p.buffers {
		bufferPool.Put(bp)
	}
	p.buffers = nil
}

// rawBody is the body of a part that needs no decoding, read from the
// message in memory. Readers of a part body that find one use its bytes
// in place instead of copying them out.
type rawBody struct {
	bytes.Reader
	data []byte
}

func newRawBody(data []byte) *rawBody {
	b := &rawBody{data: data}
	b.Reset(data)
	return b
}
