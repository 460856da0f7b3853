//go:build unix

package store

import (
	"context"
	"crypto/rand"
	"os"
	"syscall"
	"testing"
)

// TestReady_FailsWhileCommitsFail makes commits fail for real: a file
// size limit (RLIMIT_FSIZE, process-wide) keeps bbolt from growing the
// file, as a full disk would.
func TestReady_FailsWhileCommitsFail(t *testing.T) {
	ctx := context.Background()
	now := t0
	st := openAt(t, &now, Options{})
	if err := st.Ready(); err != nil {
		t.Fatalf("Ready of a new store: %v", err)
	}

	err := withFileSizeLimit(t, st.Path(), func() error {
		return st.Deliver(ctx, &Message{Raw: incompressible(t, 4<<20)}, nil)
	})
	if err == nil {
		t.Fatal("Deliver past the file size limit succeeded")
	}
	if err := st.Ready(); err == nil {
		t.Error("Ready after a failed commit = nil, want an error")
	}

	now = now.Add(FailureWindow)
	if err := st.Ready(); err != nil {
		t.Errorf("Ready once the failure is %v old: %v", FailureWindow, err)
	}
	now = t0
	if err := st.Deliver(ctx, &Message{Raw: []byte("small")}, nil); err != nil {
		t.Fatalf("Deliver after the limit was lifted: %v", err)
	}
	if err := st.Ready(); err != nil {
		t.Errorf("Ready after a successful commit: %v", err)
	}
}

func TestReady_RequestErrorIsNotAFailure(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	if err := st.ReplaceEvents(context.Background(), 42, "", nil); err == nil {
		t.Fatal("ReplaceEvents of a missing message succeeded")
	}
	if err := st.Ready(); err != nil {
		t.Errorf("Ready after a request error: %v", err)
	}
}

func incompressible(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// withFileSizeLimit runs fn with the process's file size limit set to the
// current size of the file at path, and returns what fn returns. Go
// ignores SIGXFSZ, so a write past the limit fails with EFBIG.
func withFileSizeLimit(t *testing.T, path string, fn func() error) error {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skipf("reading RLIMIT_FSIZE: %v", err)
	}
	limit := syscall.Rlimit{Cur: uint64(info.Size()), Max: old.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Skipf("setting RLIMIT_FSIZE: %v", err)
	}
	defer func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
			t.Fatalf("restoring RLIMIT_FSIZE: %v", err)
		}
	}()
	return fn()
}
