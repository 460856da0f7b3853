package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/store"
	"github.com/bounced/bounced/internal/verp"
)

// The Postfix test sends one message through a real Postfix to four
// recipients at remoteDomain. A receiving server of the test's own gives
// each the reply that remoteReplies maps it to. Postfix turns the failures
// into its own DSNs and delivers them to bounced at the VERP return path
// of each recipient.
const remoteDomain = "remote.test"

// remoteReplies maps the local part of each recipient to the receiving
// server's reply to RCPT TO; a nil reply accepts the recipient.
var remoteReplies = map[string]*smtp.SMTPError{
	"alice": {Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<alice@remote.test>... user unknown"},
	"bob":   {Code: 552, EnhancedCode: smtp.EnhancedCode{5, 2, 0}, Message: "<bob@remote.test>... sender rejected AUP#POL"},
	"carol": {Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary local problem, try again later"},
	"dave":  nil,
}

func TestPostfix_DSNsToBounced(t *testing.T) {
	postfix := requireTool(t, "postfix", "/usr/sbin/postfix")
	prometheus := requireTool(t, "prometheus", "/usr/bin/prometheus")
	if os.Geteuid() != 0 {
		t.Skip("skipping: Postfix runs only as root, and this test is not root")
	}

	dataDir := t.TempDir()
	d := startDaemon(t, dataDir)
	prom := startPrometheus(t, prometheus, d.httpAddr)
	prom.waitUp(t)
	receiver := startReceiver(t)
	pf := startPostfix(t, postfix, receiver, d.smtpAddr)

	rcpts := []string{"alice@" + remoteDomain, "bob@" + remoteDomain, "carol@" + remoteDomain, "dave@" + remoteDomain}
	pf.submitVERP(t, "bounces@"+bounceDomain, rcpts)

	// alice and bob fail for good; carol gets a delay warning.
	waitUntil(t, 45*time.Second, pf.maillog, func() bool {
		return d.metrics(t)["bounced_messages_received_total"] >= 3
	})

	t.Run("Suppressions", func(t *testing.T) {
		checkSuppressed(t, d, "alice@"+remoteDomain, true)
		checkSuppressed(t, d, "bob@"+remoteDomain, false)
		checkSuppressed(t, d, "carol@"+remoteDomain, false)
		checkSuppressed(t, d, "dave@"+remoteDomain, false)

		_, body := d.get(t, "/api/v1/suppressions/alice@"+remoteDomain)
		var sup store.Suppression
		if err := json.Unmarshal(body, &sup); err != nil || sup.Reason != "userunknown" {
			t.Errorf("suppression of alice = %s (%v), want reason userunknown", body, err)
		}
	})
	t.Run("PrometheusSeesPolicyRejection", func(t *testing.T) {
		query := `sum(increase(bounced_bounces_total{policy="aup",reason="policyviolation",hardness="soft"}[5m]))`
		waitUntil(t, 20*time.Second, nil, func() bool { return prom.query(t, query) > 0 })
	})

	d.stop(t)
	checkPostfixEvents(t, dataDir)
}

// checkPostfixEvents opens the stopped daemon's database and checks each
// recipient's event and that its VERP return path names the same
// recipient.
func checkPostfixEvents(t *testing.T, dataDir string) {
	t.Helper()
	st, err := store.Open(filepath.Join(dataDir, "bounced.db"), store.Options{})
	if err != nil {
		t.Fatalf("opening the daemon's database: %v", err)
	}
	defer st.Close()

	tests := []struct {
		local, kind, reason, policy string
		hard                        bool
		replyCode                   int
		verp                        bool
	}{
		{local: "alice", kind: "failure", reason: "userunknown", hard: true, replyCode: 550, verp: true},
		{local: "bob", kind: "failure", reason: "policyviolation", policy: "aup", replyCode: 552, verp: true},
		// Postfix 3.7 sends a delay warning to the sender as given, not
		// to the VERP address, so only the report names carol.
		{local: "carol", kind: "delay"},
	}
	for _, tt := range tests {
		addr := tt.local + "@" + remoteDomain
		events, err := st.EventsByRecipient(addr, 0)
		if err != nil || len(events) != 1 {
			t.Errorf("events of %s = %d, err %v; want 1", addr, len(events), err)
			continue
		}
		ev := events[0]
		if ev.Kind != tt.kind || ev.Hard != tt.hard || ev.Policy != tt.policy {
			t.Errorf("%s: kind %q hard %v policy %q, want %q %v %q", addr, ev.Kind, ev.Hard, ev.Policy, tt.kind, tt.hard, tt.policy)
		}
		if tt.reason != "" && (ev.Reason != tt.reason || ev.ReplyCode != tt.replyCode) {
			t.Errorf("%s: reason %q reply code %d, want %q %d", addr, ev.Reason, ev.ReplyCode, tt.reason, tt.replyCode)
		}
		if tt.verp {
			checkVERPRecipient(t, st, ev)
		}
	}

	if events, _ := st.EventsByRecipient("dave@"+remoteDomain, 0); len(events) != 0 {
		t.Errorf("dave@%s was accepted but has %d events", remoteDomain, len(events))
	}
}

// checkVERPRecipient checks that the message carrying ev came from the
// null sender to a VERP address that decodes to ev's recipient.
func checkVERPRecipient(t *testing.T, st *store.Store, ev store.Event) {
	t.Helper()
	msg, err := st.Message(ev.MessageID)
	if err != nil {
		t.Fatalf("message %d of %s: %v", ev.MessageID, ev.Recipient, err)
	}
	if msg.MailFrom != "" || len(msg.RcptTo) != 1 {
		t.Errorf("message %d: MAIL FROM %q, RCPT TO %q; want the null sender and one recipient", msg.ID, msg.MailFrom, msg.RcptTo)
		return
	}
	a, ok := verp.Decode(msg.RcptTo[0])
	if !ok || a.Recipient != ev.Recipient {
		t.Errorf("VERP recipient of %q = %q (ok %v), want %q", msg.RcptTo[0], a.Recipient, ok, ev.Recipient)
	}
}

// requireTool returns the path of the program name, looked up in PATH and
// then at fallback (sbin is often not in a test's PATH), or skips the test.
func requireTool(t *testing.T, name, fallback string) string {
	t.Helper()
	if path, err := exec.LookPath(name); err == nil {
		return path
	}
	if _, err := os.Stat(fallback); err == nil {
		return fallback
	}
	t.Skipf("skipping: %s not installed (Debian package %q)", name, name)
	return ""
}

// waitUntil polls cond every 200 ms until it holds, and fails the test
// after timeout, logging diag() when diag is set.
func waitUntil(t *testing.T, timeout time.Duration, diag func() string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			if diag != nil {
				t.Logf("diagnostics:\n%s", diag())
			}
			t.Fatalf("condition not met within %v", timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// freePort returns a loopback address with a port that was free a moment
// ago, for a server that cannot be handed a listener.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startReceiver runs the receiving server that Postfix delivers to. It
// replies to RCPT TO with the reply remoteReplies gives for it and discards accepted mail.
func startReceiver(t *testing.T) string {
	t.Helper()
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return receiverSession{}, nil
	}))
	srv.Domain = remoteDomain
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

type receiverSession struct{}

func (receiverSession) Mail(string, *smtp.MailOptions) error { return nil }

func (receiverSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	local, _, _ := strings.Cut(to, "@")
	if reply := remoteReplies[local]; reply != nil {
		return reply
	}
	return nil
}

func (receiverSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

func (receiverSession) Reset()        {}
func (receiverSession) Logout() error { return nil }

// postfixInstance is a Postfix running from a configuration and queue of
// its own, with its SMTP server on a loopback port.
type postfixInstance struct {
	bin      string
	dir      string
	smtpAddr string
}

// startPostfix writes a configuration that routes remoteDomain to the
// receiver and bounceDomain to bounced, both over SMTP, and starts Postfix
// with it. Retries and queue scans run every second so that DSNs and delay
// warnings come out within seconds.
func startPostfix(t *testing.T, bin, receiver, bounced string) *postfixInstance {
	t.Helper()
	return startPostfixTransport(t, bin, receiver, "smtp:"+nextHop(bounced))
}

// startPostfixTransport is startPostfix with the Postfix transport to
// bounced, such as lmtp:inet:127.0.0.1:2424, given whole.
func startPostfixTransport(t *testing.T, bin, receiver, bouncedTransport string) *postfixInstance {
	t.Helper()
	// The Postfix daemons run as the postfix user and must reach the
	// queue, so the directory cannot be the 0700 one t.TempDir makes.
	dir, err := os.MkdirTemp("", "bounced-postfix-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p := &postfixInstance{bin: bin, dir: dir, smtpAddr: freePort(t)}
	p.writeConfig(t, receiver, bouncedTransport)

	if out, err := p.command("start"); err != nil {
		t.Fatalf("postfix start: %v\n%s\n%s", err, out, p.maillog())
	}
	t.Cleanup(func() {
		if out, err := p.command("stop"); err != nil {
			t.Logf("postfix stop: %v\n%s", err, out)
		}
		if t.Failed() {
			t.Logf("postfix log:\n%s", p.maillog())
		}
	})
	return p
}

func (p *postfixInstance) writeConfig(t *testing.T, receiver, bouncedTransport string) {
	t.Helper()
	for _, sub := range []string{"conf", "queue", "data"} {
		if err := os.MkdirAll(filepath.Join(p.dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(p.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// master and its daemons write their lock and caches here as postfix.
	pf, err := user.Lookup("postfix")
	if err != nil {
		t.Skipf("skipping: no postfix user: %v", err)
	}
	uid, _ := strconv.Atoi(pf.Uid)
	if err := os.Chown(filepath.Join(p.dir, "data"), uid, -1); err != nil {
		t.Fatal(err)
	}

	mainCf := fmt.Sprintf(postfixMainCf, p.dir, p.dir, p.dir, p.dir, p.dir,
		remoteDomain, nextHop(receiver), bounceDomain, bouncedTransport)
	writeFile(t, filepath.Join(p.dir, "conf", "main.cf"), mainCf)
	writeFile(t, filepath.Join(p.dir, "conf", "master.cf"), fmt.Sprintf(postfixMasterCf, p.smtpAddr))
}

// postfixMainCf is main.cf. Only loopback is used: DNS is off and the
// transport map names both next hops by IP address.
const postfixMainCf = `compatibility_level = 3.6
config_directory = %s/conf
queue_directory = %s/queue
data_directory = %s/data
maillog_file = %s/maillog
maillog_file_prefixes = %s
myhostname = postfix.test
mydomain = postfix.test
myorigin = postfix.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_authorized_verp_clients = 127.0.0.0/8
transport_maps = inline:{ %s=smtp:%s, %s=%s }
smtp_dns_support_level = disabled
smtp_tls_security_level = none
smtpd_tls_security_level = none
alias_maps =
alias_database =
biff = no
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
delay_warning_time = 1s
`

// postfixMasterCf is master.cf: the services an SMTP relay needs and the
// LMTP client, none chrooted, with the SMTP server on the given address.
const postfixMasterCf = `%s inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
lmtp      unix  - - n -  - lmtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
`

// nextHop returns addr as a Postfix next hop, [127.0.0.1]:2525, with the
// brackets that turn off the MX lookup.
func nextHop(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	return "[" + host + "]:" + port
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// command runs `postfix -c CONF verb`. Postfix logs its errors to the
// maillog file, not to its output.
func (p *postfixInstance) command(verb string) ([]byte, error) {
	cmd := exec.Command(p.bin, "-c", filepath.Join(p.dir, "conf"), verb)
	return cmd.CombinedOutput()
}

func (p *postfixInstance) maillog() string {
	b, err := os.ReadFile(filepath.Join(p.dir, "maillog"))
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// submitVERP sends one message from from to rcpts through Postfix's SMTP
// server with the XVERP parameter, so that Postfix gives each recipient
// its own return path, from+local=domain@domain, and sends each DSN there.
func (p *postfixInstance) submitVERP(t *testing.T, from string, rcpts []string) {
	t.Helper()
	msg := "From: news@example.org\r\nTo: subscribers@example.org\r\nSubject: News\r\n" +
		"Message-ID: <news-1@example.org>\r\n\r\nThis week's news.\r\n"
	p.submit(t, "<"+from+"> XVERP", rcpts, []byte(msg))
}

// submit sends msg through Postfix's SMTP server with mailFrom as the
// argument of MAIL FROM, such as "<>".
func (p *postfixInstance) submit(t *testing.T, mailFrom string, rcpts []string, msg []byte) {
	t.Helper()
	// master may still be binding its listener when `postfix start`
	// returns.
	var conn *textproto.Conn
	waitUntil(t, 10*time.Second, p.maillog, func() bool {
		var err error
		conn, err = textproto.Dial("tcp", p.smtpAddr)
		return err == nil
	})
	defer conn.Close()

	step := func(code int, format string, args ...any) {
		t.Helper()
		if format != "" {
			if err := conn.PrintfLine(format, args...); err != nil {
				t.Fatal(err)
			}
		}
		if _, msg, err := conn.ReadResponse(code); err != nil {
			t.Fatalf("postfix reply to %q: %v %s", fmt.Sprintf(format, args...), err, msg)
		}
	}
	step(220, "")
	step(250, "EHLO sender.test")
	step(250, "MAIL FROM:%s", mailFrom)
	for _, rcpt := range rcpts {
		step(250, "RCPT TO:<%s>", rcpt)
	}
	step(354, "DATA")
	w := conn.DotWriter()
	w.Write(msg)
	w.Close()
	step(250, "")
	step(221, "QUIT")
}

// prometheusServer is a Prometheus server scraping bounced every second.
type prometheusServer struct {
	addr string
}

func startPrometheus(t *testing.T, bin, target string) *prometheusServer {
	t.Helper()
	dir := t.TempDir()
	config := fmt.Sprintf("global:\n  scrape_interval: 1s\nscrape_configs:\n"+
		"  - job_name: bounced\n    static_configs:\n      - targets: ['%s']\n", target)
	writeFile(t, filepath.Join(dir, "prometheus.yml"), config)

	p := &prometheusServer{addr: freePort(t)}
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+p.addr)
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting prometheus: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", log.String())
		}
	})
	return p
}

// waitUp waits until Prometheus has scraped bounced at least twice, so
// that every series bounced starts at zero has a sample before the
// bounces arrive.
func (p *prometheusServer) waitUp(t *testing.T) {
	t.Helper()
	waitUntil(t, 30*time.Second, nil, func() bool {
		return p.query(t, `count_over_time(up{job="bounced"}[1m]) >= 2 and up{job="bounced"} == 1`) >= 2
	})
}

// query runs an instant query and returns the value of its first sample,
// or -1 when Prometheus is not ready or the result is empty.
func (p *prometheusServer) query(t *testing.T, q string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + p.addr + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Status != "success" || len(body.Data.Result) == 0 {
		return -1
	}
	s, _ := body.Data.Result[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return -1
	}
	return v
}
