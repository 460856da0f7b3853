package smtpd

import (
	"context"
	"errors"
	"io"
)

// bufferPool hands out the buffers that message data is read into, each
// KeepBytes long, and never more than MaxBufferedBytes of them at once.
// Taking a whole buffer before reading means no session holds memory while
// it waits for more, so sessions cannot deadlock on the budget.
type bufferPool struct {
	size  int
	slots chan struct{}
	free  chan []byte
}

func newBufferPool(size, budget int64) *bufferPool {
	n := max(1, budget/size)
	return &bufferPool{size: int(size), slots: make(chan struct{}, n), free: make(chan []byte, n)}
}

// get returns a buffer, waiting for a free slot until ctx ends.
func (p *bufferPool) get(ctx context.Context) ([]byte, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case b := <-p.free:
		return b, nil
	default:
		return make([]byte, p.size), nil
	}
}

// put returns b for reuse.
func (p *bufferPool) put(b []byte) {
	select {
	case p.free <- b:
	default:
	}
	<-p.slots
}

// drop frees the slot of a buffer that must not be reused, because a
// commit that timed out may still read it.
func (p *bufferPool) drop() {
	<-p.slots
}

// readBounded reads r to its end into buf and returns how many bytes it
// kept and the total size. What does not fit is discarded as it arrives,
// so memory stays bounded whatever the peer sends. Unlike io.ReadFull it
// passes io.ErrUnexpectedEOF on: go-smtp returns that when the peer hangs
// up before the final dot, and such a message is incomplete.
func readBounded(r io.Reader, buf []byte) (kept int, size int64, err error) {
	for kept < len(buf) {
		n, err := r.Read(buf[kept:])
		kept += n
		if errors.Is(err, io.EOF) {
			return kept, int64(kept), nil
		}
		if err != nil {
			return kept, int64(kept), err
		}
	}
	rest, err := io.Copy(io.Discard, r)
	return kept, int64(kept) + rest, err
}
