package smtpd

import (
	"crypto/tls"
	"os"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/testcert"
)

// startTLS runs STARTTLS with cfg and returns the serial of the server's
// certificate.
func startTLS(t *testing.T, addr string, cfg *tls.Config) (int64, error) {
	t.Helper()
	c, err := smtp.DialStartTLS(addr, cfg)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	// The handshake happens at the first command over TLS.
	if err := c.Noop(); err != nil {
		return 0, err
	}
	state, _ := c.TLSConnectionState()
	return state.PeerCertificates[0].SerialNumber.Int64(), nil
}

func TestSTARTTLS_ReloadAndMinVersion(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := testcert.Write(t, dir, 1)
	srv, addr, _ := startServer(t, Config{TLSCertFile: certFile, TLSKeyFile: keyFile}, t.TempDir(), "tcp", "127.0.0.1:0")

	client := &tls.Config{InsecureSkipVerify: true}
	if serial, err := startTLS(t, addr, client); err != nil || serial != 1 {
		t.Fatalf("STARTTLS = serial %d, %v; want serial 1", serial, err)
	}

	old := &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS11}
	if _, err := startTLS(t, addr, old); err == nil {
		t.Error("STARTTLS with TLS 1.1 succeeded, want TLS 1.2 at least")
	}

	testcert.Write(t, dir, 2)
	if err := srv.ReloadTLS(); err != nil {
		t.Fatalf("ReloadTLS: %v", err)
	}
	if serial, err := startTLS(t, addr, client); err != nil || serial != 2 {
		t.Errorf("STARTTLS after reload = serial %d, %v; want serial 2", serial, err)
	}

	os.WriteFile(keyFile, []byte("not a key"), 0o600)
	if err := srv.ReloadTLS(); err == nil {
		t.Error("ReloadTLS of a broken key succeeded")
	}
	if serial, err := startTLS(t, addr, client); err != nil || serial != 2 {
		t.Errorf("STARTTLS after a failed reload = serial %d, %v; want the previous serial 2", serial, err)
	}
}

func TestNew_MissingCertificate(t *testing.T) {
	_, err := New(Config{TLSCertFile: "/nonexistent/cert.pem", TLSKeyFile: "/nonexistent/key.pem"}, nil, testLogger(t))
	if err == nil {
		t.Fatal("New with a missing certificate succeeded")
	}
}

func TestSTARTTLS_NotOfferedWithoutCertificate(t *testing.T) {
	addr, _ := testServer(t, Config{})
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("STARTTLS advertised without a certificate")
	}
}
