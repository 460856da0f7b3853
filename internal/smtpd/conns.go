package smtpd

import (
	"net"
	"sync"
)

// connTracker records the connections a listener accepted, so that
// shutdown can close those still open at its deadline: go-smtp's Close
// does nothing once Shutdown has begun.
type connTracker struct {
	net.Listener

	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	metrics *Metrics
}

func trackConns(l net.Listener, m *Metrics) *connTracker {
	return &connTracker{Listener: l, conns: make(map[net.Conn]struct{}), metrics: m}
}

func (l *connTracker) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, tracker: l}
	l.mu.Lock()
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	l.metrics.sessionOpened()
	return tc, nil
}

// closeAll closes every connection still open and returns how many there
// were.
func (l *connTracker) closeAll() int {
	l.mu.Lock()
	conns := make([]net.Conn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()

	for _, c := range conns {
		c.Close()
	}
	return len(conns)
}

type trackedConn struct {
	net.Conn
	tracker *connTracker
	once    sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.tracker.mu.Lock()
		delete(c.tracker.conns, c)
		c.tracker.mu.Unlock()
		c.tracker.metrics.sessionClosed()
	})
	return c.Conn.Close()
}
