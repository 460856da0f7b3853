package main

import (
	"github.com/bounced/bounced/internal/eval"

	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
)

// bouncedBin is the binary built once for the tests that run the daemon
// as a process.
var bouncedBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bounced-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bouncedBin = filepath.Join(dir, "bounced")
	build := exec.Command("go", "build", "-o", bouncedBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building bounced:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const bounceDomain = "bounces.example.org"

// daemon is a running `bounced serve` process on loopback ports.
type daemon struct {
	cmd      *exec.Cmd
	smtpAddr string
	httpAddr string
	exited   chan error

	mu  sync.Mutex
	log bytes.Buffer
}

var startedLine = regexp.MustCompile(`msg="bounced started" smtp=(\S+) http=(\S+)`)

// startDaemon runs bounced serve on free loopback ports with dataDir and
// any extra flags, and returns once it logs that it is listening.
func startDaemon(t *testing.T, dataDir string, extra ...string) *daemon {
	t.Helper()
	d := &daemon{exited: make(chan error, 1)}
	args := []string{"serve",
		"-smtp.listen", "127.0.0.1:0", "-http.listen", "127.0.0.1:0",
		"-data.dir", dataDir, "-smtp.domains", bounceDomain, "-smtp.hostname", "bounced.test"}
	d.cmd = exec.Command(bouncedBin, append(args, extra...)...)
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("starting bounced: %v", err)
	}

	addrs := make(chan []string, 1)
	go d.readLog(stderr, addrs)
	go func() { d.exited <- d.cmd.Wait() }()
	t.Cleanup(func() {
		d.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("daemon log:\n%s", d.logText())
		}
	})

	select {
	case a := <-addrs:
		d.smtpAddr, d.httpAddr = a[0], a[1]
	case err := <-d.exited:
		t.Fatalf("bounced exited before listening: %v\n%s", err, d.logText())
	case <-time.After(30 * time.Second):
		t.Fatalf("bounced did not start within 30s\n%s", d.logText())
	}
	return d
}

func (d *daemon) readLog(r io.Reader, addrs chan<- []string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		d.mu.Lock()
		d.log.WriteString(line + "\n")
		d.mu.Unlock()
		if m := startedLine.FindStringSubmatch(line); m != nil {
			addrs <- m[1:]
		}
	}
}

func (d *daemon) logText() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.log.String()
}

// stop sends SIGTERM and waits for a clean exit.
func (d *daemon) stop(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-d.exited:
		if err != nil {
			t.Fatalf("bounced exited with %v after SIGTERM\n%s", err, d.logText())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("bounced did not exit within 30s of SIGTERM")
	}
}

// send delivers raw over a real SMTP session from the null sender and
// returns the reply to DATA.
func (d *daemon) send(t *testing.T, rcpt string, raw []byte) error {
	t.Helper()
	c, err := smtp.Dial(d.smtpAddr)
	if err != nil {
		t.Fatalf("dialing %s: %v", d.smtpAddr, err)
	}
	defer c.Close()
	if err := c.Hello("mta.test"); err != nil {
		return err
	}
	if err := c.Mail("", nil); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func (d *daemon) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get("http://" + d.httpAddr + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return resp.StatusCode, body
}

// metrics scrapes /metrics and returns the samples by series.
func (d *daemon) metrics(t *testing.T) map[string]float64 {
	t.Helper()
	_, families := d.scrape(t)
	samples := make(map[string]float64)
	for name, mf := range families {
		for _, m := range mf.GetMetric() {
			key := name
			for _, l := range m.GetLabel() {
				key += fmt.Sprintf(",%s=%s", l.GetName(), l.GetValue())
			}
			if c := m.GetCounter(); c != nil {
				samples[key] = c.GetValue()
			}
		}
	}
	return samples
}

// bounceFile is a message to send and what the pipeline makes of it.
type bounceFile struct {
	name   string
	raw    []byte
	events []store.Event
}

// bounceFiles returns the fixtures of testdata/ and, when the shared corpus
// is present, its RFC 3464 reports.
func bounceFiles(t *testing.T) []bounceFile {
	t.Helper()
	names, _ := filepath.Glob("testdata/*.eml")
	corpus, _ := filepath.Glob("../../../shared/corpus/maildir/bsd/rfc3464-*.eml")
	if len(corpus) == 0 {
		t.Log("shared corpus not found; sending the testdata fixtures only")
	}
	names = append(names, corpus...)

	var files []bounceFile
	for _, name := range names {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		_, events, err := ingest.Analyze(raw, ingest.Envelope{})
		if err != nil {
			t.Fatalf("analysing %s: %v", name, err)
		}
		files = append(files, bounceFile{name: name, raw: raw, events: events})
	}
	return files
}

func TestServe_EndToEnd(t *testing.T) {
	dataDir := t.TempDir()
	d := startDaemon(t, dataDir)
	files := bounceFiles(t)

	hard := map[string]bool{}
	bounces := map[string]float64{}
	for _, f := range files {
		if err := d.send(t, "bounces@"+bounceDomain, f.raw); err != nil {
			t.Fatalf("sending %s: %v", f.name, err)
		}
		for _, ev := range f.events {
			if eval.WouldSuppress(ev) {
				hard[store.NormalizeAddress(ev.Recipient)] = true
			}
			bounces[bounceSeries(ev)]++
		}
	}

	t.Logf("sent %d messages; %d addresses to be suppressed", len(files), len(hard))

	t.Run("HardBouncesSuppressed", func(t *testing.T) {
		if len(hard) == 0 {
			t.Fatal("no fixture produced a suppressing bounce")
		}
		for addr := range hard {
			checkSuppressed(t, d, addr, true)
		}
	})
	t.Run("AUPNotSuppressed", func(t *testing.T) {
		checkSuppressed(t, d, "carol@cox.net", false)
		m := d.metrics(t)
		aup := 0.0
		for series, v := range m {
			if strings.HasPrefix(series, "bounced_bounces_total,") && strings.Contains(series, ",hardness=soft,policy=aup,") {
				aup += v
			}
		}
		if aup < 1 {
			t.Errorf("bounced_bounces_total{hardness=soft,policy=aup} summed over providers = %v, want at least 1", aup)
		}
	})
	t.Run("FixtureVerdicts", func(t *testing.T) {
		checkSuppressed(t, d, "dave@example.com", true)
		checkSuppressed(t, d, "erin@example.com", false)
	})
	t.Run("Metrics", func(t *testing.T) {
		m := d.metrics(t)
		if got := m["bounced_messages_received_total"]; got != float64(len(files)) {
			t.Errorf("bounced_messages_received_total = %v, want %d", got, len(files))
		}
		for series, want := range bounces {
			if m[series] != want {
				t.Errorf("%s = %v, want %v", series, m[series], want)
			}
		}
	})

	d.stop(t)
	checkEventsOnDisk(t, dataDir, hard)

	t.Run("SuppressionsAfterRestart", func(t *testing.T) {
		d := startDaemon(t, dataDir)
		for addr := range hard {
			checkSuppressed(t, d, addr, true)
		}
		d.stop(t)
	})
}

func bounceSeries(ev store.Event) string {
	hardness, policy := "soft", ev.Policy
	if ev.Hard {
		hardness = "hard"
	}
	if policy == "" {
		policy = "none"
	}
	provider := ev.Provider
	if provider == "" {
		provider = "other"
	}
	return fmt.Sprintf("bounced_bounces_total,domain=%s,hardness=%s,policy=%s,provider=%s,reason=%s",
		bounceDomain, hardness, policy, provider, ev.Reason)
}

func checkSuppressed(t *testing.T, d *daemon, addr string, want bool) {
	t.Helper()
	status, body := d.get(t, "/api/v1/suppressions/"+addr)
	switch {
	case want && status != http.StatusOK:
		t.Errorf("GET suppression of %s: status %d, want 200; body %s", addr, status, body)
	case !want && status != http.StatusNotFound:
		t.Errorf("GET suppression of %s: status %d, want 404; body %s", addr, status, body)
	case want:
		var sup store.Suppression
		if err := json.Unmarshal(body, &sup); err != nil {
			t.Fatalf("decoding suppression of %s: %v", addr, err)
		}
		if sup.Address != addr || sup.Reason == "" || sup.EventID == 0 {
			t.Errorf("suppression of %s = %+v, want address, reason and event set", addr, sup)
		}
	}
}

// checkEventsOnDisk opens the stopped daemon's file and checks that every
// suppressed address has its events there.
func checkEventsOnDisk(t *testing.T, dataDir string, addrs map[string]bool) {
	t.Helper()
	st, err := store.Open(filepath.Join(dataDir, "bounced.db"), store.Options{})
	if err != nil {
		t.Fatalf("opening the daemon's database: %v", err)
	}
	defer st.Close()
	for addr := range addrs {
		events, err := st.EventsByRecipient(addr, 0)
		if err != nil || len(events) == 0 {
			t.Errorf("events of %s on disk: %d, err %v", addr, len(events), err)
		}
	}
}

func TestServe_RejectsForeignDomain(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	err := d.send(t, "someone@elsewhere.example.com", []byte("Subject: x\r\n\r\nx\r\n"))

	var smtpErr *smtp.SMTPError
	if !errors.As(err, &smtpErr) {
		t.Fatalf("send to a foreign domain: err = %v, want an SMTP error", err)
	}
	if smtpErr.Code != 550 || smtpErr.EnhancedCode != (smtp.EnhancedCode{5, 1, 2}) {
		t.Errorf("reply = %d %v, want 550 5.1.2", smtpErr.Code, smtpErr.EnhancedCode)
	}
}

func TestServe_HealthAndUnknownAddress(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	if status, body := d.get(t, "/healthz"); status != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		t.Errorf("/healthz = %d %q, want 200 ok", status, body)
	}
	status, body := d.get(t, "/api/v1/suppressions/nobody@example.com")
	if status != http.StatusNotFound || !bytes.Contains(body, []byte(`"not_suppressed"`)) {
		t.Errorf("unknown address = %d %s, want 404 not_suppressed", status, body)
	}
}

func TestServe_GracefulShutdownFinishesSession(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	raw, err := os.ReadFile("testdata/two-recipients.eml")
	if err != nil {
		t.Fatal(err)
	}

	c, err := smtp.Dial(d.smtpAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("bounces@"+bounceDomain, nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw[:len(raw)/2])

	// The session is mid-DATA when the daemon is told to stop; it must
	// still be able to finish and get its 250.
	d.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(200 * time.Millisecond)
	w.Write(raw[len(raw)/2:])
	if err := w.Close(); err != nil {
		t.Fatalf("finishing DATA during shutdown: %v", err)
	}
	c.Quit()

	select {
	case err := <-d.exited:
		if err != nil {
			t.Fatalf("exit after shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("daemon did not exit")
	}
}
