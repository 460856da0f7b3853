package smtpd

import (
	"errors"
	"io"
	"sync"
)

// bufferPool hands out the buffers that message data is read into: one
// of KeepBytes while fewer than MaxBufferedBytes of them are out, else a
// small one of MinKeepBytes. A session never waits for memory, because a
// peer such as Postfix's smtp-source writes many sessions from one
// process, and one session stalled on a buffer would stall the peer's
// other sessions, which hold the buffers.
//
// Small buffers are reused too: with more sessions than full buffers,
// allocating one for every message made up a fifth of the daemon's
// allocated bytes under load (64 KiB zeroed for each message).
type bufferPool struct {
	size      int
	smallSize int
	slots     chan struct{}
	free      chan []byte
	small     sync.Pool // of *[]byte of smallSize
}

func newBufferPool(size, smallSize, budget int64) *bufferPool {
	n := max(1, budget/size)
	return &bufferPool{
		size:      int(size),
		smallSize: int(min(smallSize, size)),
		slots:     make(chan struct{}, n),
		free:      make(chan []byte, n),
	}
}

// get returns a buffer and whether it is a full one, which must go back
// with put or drop.
func (p *bufferPool) get() ([]byte, bool) {
	select {
	case p.slots <- struct{}{}:
	default:
		return p.getSmall(), false
	}
	select {
	case b := <-p.free:
		return b, true
	default:
		return make([]byte, p.size), true
	}
}

// put returns a full buffer for reuse.
func (p *bufferPool) put(b []byte) {
	select {
	case p.free <- b:
	default:
	}
	<-p.slots
}

func (p *bufferPool) getSmall() []byte {
	if b, ok := p.small.Get().(*[]byte); ok {
		return *b
	}
	return make([]byte, p.smallSize)
}

// putSmall returns a small buffer for reuse.
func (p *bufferPool) putSmall(b []byte) {
	p.small.Put(&b)
}

// drop frees the slot of a full buffer that must not be reused, because a
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
