package smtpd

import (
	"crypto/tls"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// rejectTimeout bounds the write of the 421 reply to a connection past a
// limit, so that a peer that does not read cannot stall the accept loop.
const rejectTimeout = 5 * time.Second

// maxRejecting is the number of 421 replies being written at once. Past
// it, a connection over a limit is closed without a reply, so that a
// connection flood cannot pile up goroutines.
const maxRejecting = 64

// listener enforces the connection limits and records the connections it
// accepted, so that shutdown can close those still open at its deadline:
// go-smtp's Close does nothing once Shutdown has begun.
type listener struct {
	net.Listener
	server *Server

	mu        sync.Mutex
	conns     map[*conn]struct{}
	perIP     map[string]int
	rejecting chan struct{}

	// lastRejectLog (Unix nanoseconds) and unlogged rate-limit the log of
	// rejected connections to a line a second.
	lastRejectLog atomic.Int64
	unlogged      atomic.Int64
}

func (s *Server) newListener(l net.Listener) *listener {
	return &listener{
		Listener:  l,
		server:    s,
		conns:     make(map[*conn]struct{}),
		perIP:     make(map[string]int),
		rejecting: make(chan struct{}, maxRejecting),
	}
}

// Accept returns the next connection within the limits. Connections past
// a limit get 421 4.7.0 and are closed without reaching go-smtp.
func (l *listener) Accept() (net.Conn, error) {
	for {
		nc, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if c, ok := l.admit(nc); ok {
			return c, nil
		}
	}
}

func (l *listener) admit(nc net.Conn) (*conn, bool) {
	ip := clientIP(nc.RemoteAddr())
	cfg := l.server.cfg

	l.mu.Lock()
	limit := ""
	switch {
	case len(l.conns) >= cfg.MaxConnections:
		limit = "total"
	case ip != "" && l.perIP[ip] >= cfg.MaxConnectionsPerIP:
		limit = "per_ip"
	}
	if limit != "" {
		l.mu.Unlock()
		l.server.metrics.connectionRejected(limit)
		l.logRejected(nc, limit)
		l.reject(nc)
		return nil, false
	}

	c := &conn{Conn: nc, listener: l, id: l.server.nextConn.Add(1), ip: ip, expires: time.Now().Add(cfg.SessionTimeout)}
	l.conns[c] = struct{}{}
	l.perIP[ip]++
	l.mu.Unlock()

	l.server.metrics.sessionOpened()
	return c, true
}

// logRejected logs a rejected connection, at most once a second, with
// the number of rejections left out of the log since the previous line.
func (l *listener) logRejected(nc net.Conn, limit string) {
	now := time.Now().UnixNano()
	last := l.lastRejectLog.Load()
	if now-last < int64(time.Second) || !l.lastRejectLog.CompareAndSwap(last, now) {
		l.unlogged.Add(1)
		return
	}
	l.server.log.Warn("connection rejected", "remote_addr", peerName(nc), "limit", limit,
		"rejected_since_last_log", l.unlogged.Swap(0))
}

// reject sends 421 4.7.0 and closes nc, in the background.
func (l *listener) reject(nc net.Conn) {
	select {
	case l.rejecting <- struct{}{}:
	default:
		nc.Close()
		return
	}
	go func() {
		defer func() { <-l.rejecting }()
		nc.SetWriteDeadline(time.Now().Add(rejectTimeout))
		io.WriteString(nc, "421 4.7.0 Too many connections, try again later\r\n")
		nc.Close()
	}()
}

func (l *listener) release(c *conn) {
	l.mu.Lock()
	delete(l.conns, c)
	if l.perIP[c.ip]--; l.perIP[c.ip] <= 0 {
		delete(l.perIP, c.ip)
	}
	l.mu.Unlock()
	l.server.metrics.sessionClosed()
}

// closeAll closes every connection still open and returns how many there
// were.
func (l *listener) closeAll() int {
	l.mu.Lock()
	conns := make([]*conn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()

	for _, c := range conns {
		c.Close()
	}
	return len(conns)
}

// clientIP returns the IP address of a TCP peer, or "" for other networks
// (a unix socket), which are not limited per address.
// peerName names the client of nc for logs and stored messages. The
// client of a unix socket has no address of its own (Go prints "@" or
// nothing), so it is named by the socket's path, as "unix:PATH".
func peerName(nc net.Conn) string {
	if _, ok := nc.RemoteAddr().(*net.UnixAddr); ok {
		return "unix:" + nc.LocalAddr().String()
	}
	return nc.RemoteAddr().String()
}

func clientIP(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	return ""
}

// conn is an accepted connection. It caps every read deadline at the end
// of the session's lifetime, and can be hung up from a session: its reads
// then end as if the peer had closed.
type conn struct {
	net.Conn
	listener *listener
	id       uint64 // conn_id in the log
	ip       string
	expires  time.Time

	errors int // rejected commands; only the session goroutine touches it

	// pending holds the lines of a multiline reply until its last line;
	// only the session goroutine writes.
	pending []byte
	hangup  atomic.Bool
	once    sync.Once
}

func (c *conn) Read(b []byte) (int, error) {
	if c.hangup.Load() {
		return 0, io.EOF
	}
	return c.Conn.Read(b)
}

// SetReadDeadline sets t, or the end of the session's lifetime when that
// comes first. go-smtp sets a deadline before each command.
func (c *conn) SetReadDeadline(t time.Time) error {
	if t.IsZero() || t.After(c.expires) {
		t = c.expires
	}
	return c.Conn.SetReadDeadline(t)
}

func (c *conn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(t)
}

func (c *conn) Close() error {
	c.once.Do(func() { c.listener.release(c) })
	return c.Conn.Close()
}

// connOf returns the accepted connection under nc, which is either that
// connection or a TLS connection over it after STARTTLS.
func connOf(nc net.Conn) *conn {
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	c, _ := nc.(*conn)
	return c
}
