package smtpd

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
)

// testServer runs a Server on a loopback port over a real store in a
// temporary directory, and returns its address and the store.
func testServer(t testing.TB, cfg Config) (string, *store.Store) {
	t.Helper()
	return testServerAt(t, cfg, t.TempDir(), "tcp", "127.0.0.1:0")
}

// testServerAt runs a Server listening on network and addr over a real
// store in dir.
func testServerAt(t testing.TB, cfg Config, dir, network, addr string) (string, *store.Store) {
	t.Helper()
	_, addr, st := startServer(t, cfg, dir, network, addr)
	return addr, st
}

// startServer is testServerAt that also returns the Server.
func startServer(t testing.TB, cfg Config, dir, network, addr string) (*Server, string, *store.Store) {
	t.Helper()
	log := testLogger(t)
	st, err := store.Open(filepath.Join(dir, "bounced.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pipeline := ingest.New(st, ingest.NewMetrics(prometheus.NewRegistry()), log)
	srv, err := New(cfg, pipeline, log)
	if err != nil {
		t.Fatal(err)
	}

	t.Cleanup(func() { st.Close() })
	return srv, serveOn(t, srv, network, addr), st
}

// serveLoopback runs srv on a loopback port until the test ends and
// returns its address.
func serveLoopback(t testing.TB, srv *Server) string {
	t.Helper()
	return serveOn(t, srv, "tcp", "127.0.0.1:0")
}

// serveOn runs srv on network and addr until the test ends, then shuts
// it down, and returns the address it listens on.
func serveOn(t testing.TB, srv *Server, network, addr string) string {
	t.Helper()
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return l.Addr().String()
}

// testLogger logs to t, except for a fuzz target, which may not log from
// the server's goroutines, and a benchmark, whose time it would skew.
func testLogger(t testing.TB) *slog.Logger {
	switch t.(type) {
	case *testing.F, *testing.B:
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// dialog sends each line and returns the server's reply to each, with the
// greeting first. A reply is its last line, "250 2.0.0 ...".
func dialog(t testing.TB, addr string, lines ...string) []string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)

	replies := []string{readReply(t, r)}
	for _, line := range lines {
		fmt.Fprintf(conn, "%s\r\n", line)
		replies = append(replies, readReply(t, r))
	}
	return replies
}

func readReply(t testing.TB, r *bufio.Reader) string {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading reply: %v", err)
		}
		if len(line) < 4 || line[3] != '-' {
			return strings.TrimRight(line, "\r\n")
		}
	}
}

const minimalBounce = "From: MAILER-DAEMON@example.net\r\nSubject: x\r\n\r\nbody\r\n."

func TestRcpt_Replies(t *testing.T) {
	addr, _ := testServer(t, Config{Domains: []string{"bounces.example.org"}})
	tests := []struct {
		name string
		rcpt string
		want string
	}{
		{"bounce domain", "<b@bounces.example.org>", "250 "},
		{"bounce domain upper case", "<b@BOUNCES.example.org>", "250 "},
		{"VERP address", "<b+alice=example.com@bounces.example.org>", "250 "},
		{"foreign domain", "<b@example.com>", "550 5.1.2 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			replies := dialog(t, addr, "EHLO mta.test", "MAIL FROM:<>", "RCPT TO:"+tt.rcpt)
			if got := replies[3]; !strings.HasPrefix(got, tt.want) {
				t.Errorf("RCPT TO:%s = %q, want prefix %q", tt.rcpt, got, tt.want)
			}
		})
	}
}

func TestData_StoredBefore250(t *testing.T) {
	addr, st := testServer(t, Config{})
	replies := dialog(t, addr, "EHLO mta.test", "MAIL FROM:<>", "RCPT TO:<b@bounces.example.org>", "DATA", minimalBounce)
	got := replies[5]
	if !strings.HasPrefix(got, "250 2.0.0 Stored as ") {
		t.Fatalf("reply to DATA = %q, want 250 Stored as ID", got)
	}

	var id uint64
	fmt.Sscanf(strings.TrimPrefix(got, "250 2.0.0 Stored as "), "%d", &id)
	msg, err := st.Message(id)
	if err != nil {
		t.Fatalf("message %d of the 250 reply: %v", id, err)
	}
	if !strings.Contains(string(msg.Raw), "Subject: x") || msg.MailFrom != "" || len(msg.RcptTo) != 1 {
		t.Errorf("stored message = %+v, raw %q", msg, msg.Raw)
	}
}

func TestData_TruncatesPastKeepBytes(t *testing.T) {
	addr, st := testServer(t, Config{KeepBytes: 1024})
	body := strings.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\r\n", 100)
	replies := dialog(t, addr, "EHLO mta.test", "MAIL FROM:<>", "RCPT TO:<b@bounces.example.org>", "DATA",
		"Subject: big\r\n\r\n"+body+".")
	got := replies[5]
	if !strings.HasPrefix(got, "250 ") {
		t.Fatalf("reply to a large DATA = %q, want 250", got)
	}

	var id uint64
	fmt.Sscanf(strings.TrimPrefix(got, "250 2.0.0 Stored as "), "%d", &id)
	msg, err := st.Message(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Raw) != 1024 || !msg.Truncated || msg.Size <= 1024 {
		t.Errorf("stored %d bytes, truncated %v, size %d; want 1024, true, > 1024", len(msg.Raw), msg.Truncated, msg.Size)
	}
}

func TestData_TooLargeGets552(t *testing.T) {
	addr, _ := testServer(t, Config{KeepBytes: 512, MaxMessageBytes: 4096})
	body := strings.Repeat("x", 70) + "\r\n"
	replies := dialog(t, addr, "EHLO mta.test", "MAIL FROM:<>", "RCPT TO:<b@bounces.example.org>", "DATA",
		"Subject: huge\r\n\r\n"+strings.Repeat(body, 100)+".", "NOOP")
	if got := replies[5]; !strings.HasPrefix(got, "552 5.3.4") {
		t.Errorf("reply to DATA over the ceiling = %q, want 552 5.3.4", got)
	}
	if got := replies[6]; !strings.HasPrefix(got, "250") {
		t.Errorf("NOOP after a refused message = %q, want 250: the session must go on", got)
	}
}

func TestData_StoreClosedGets451(t *testing.T) {
	addr, st := testServer(t, Config{})
	st.Close()
	replies := dialog(t, addr, "EHLO mta.test", "MAIL FROM:<>", "RCPT TO:<b@bounces.example.org>", "DATA", minimalBounce)
	got := replies[5]
	if !strings.HasPrefix(got, "451 4.3.0 ") {
		t.Errorf("reply with the store closed = %q, want 451 4.3.0", got)
	}
	if strings.Contains(got, "store: closed") {
		t.Errorf("reply %q leaks the internal error", got)
	}
}

func TestData_NullSenderAccepted(t *testing.T) {
	addr, _ := testServer(t, Config{})
	replies := dialog(t, addr, "HELO mta.test", "MAIL FROM:<>")
	if got := replies[2]; !strings.HasPrefix(got, "250") {
		t.Errorf("MAIL FROM:<> = %q, want 250", got)
	}
}

func TestShutdown_ClosesIdleSessionsAtDeadline(t *testing.T) {
	log := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	st, err := store.Open(filepath.Join(t.TempDir(), "bounced.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := New(Config{}, ingest.New(st, ingest.NewMetrics(prometheus.NewRegistry()), log), log)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)

	c, err := smtp.Dial(l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("idle.test"); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown with an idle session: %v", err)
	}
	if err := c.Noop(); err == nil {
		t.Error("idle session still served after shutdown")
	}
}

func TestData_KeepsMinKeepBytesWhenBudgetInUse(t *testing.T) {
	reg := prometheus.NewRegistry()
	srv, addr, st := startServer(t, Config{KeepBytes: 1024, MaxBufferedBytes: 1024, MinKeepBytes: 256, Metrics: NewMetrics(reg)},
		t.TempDir(), "tcp", "127.0.0.1:0")
	body := "Subject: x\r\n\r\n" + strings.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n", 40)

	// The first session takes the only full buffer and holds it while
	// its data is incomplete. go-smtp sends 354 before the session reads
	// the data, so wait until the buffer is out.
	first := openSession(t, addr)
	first.startData()
	first.write("Subject: first\r\n")
	waitBuffersOut(t, srv, 1)

	second := storeOne(t, addr, body)
	if !strings.HasPrefix(second, "250 2.0.0 Stored as ") {
		t.Fatalf("reply while the budget is in use = %q, want 250: no waiting", second)
	}
	checkKept(t, st, second, 256)
	want := `
# HELP bounced_smtp_messages_kept_short_total Messages cut at min_keep_bytes instead of keep_bytes because max_buffered_bytes was in use.
# TYPE bounced_smtp_messages_kept_short_total counter
bounced_smtp_messages_kept_short_total 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "bounced_smtp_messages_kept_short_total"); err != nil {
		t.Error(err)
	}

	first.write(body + ".\r\n")
	checkKept(t, st, first.reply(), 1024)
}

// waitBuffersOut waits until n full buffers of srv are in use.
func waitBuffersOut(t *testing.T, srv *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.buffers.slots) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d full buffers in use after 10s, want %d", len(srv.buffers.slots), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// checkKept checks that the message of a 250 reply was stored truncated to
// keep bytes.
func checkKept(t *testing.T, st *store.Store, reply string, keep int) {
	t.Helper()
	var id uint64
	if _, err := fmt.Sscanf(reply, "250 2.0.0 Stored as %d", &id); err != nil {
		t.Fatalf("reply %q: %v", reply, err)
	}
	msg, err := st.Message(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Raw) != keep || !msg.Truncated {
		t.Errorf("message %d: kept %d bytes, truncated %v; want %d, true", id, len(msg.Raw), msg.Truncated, keep)
	}
}
