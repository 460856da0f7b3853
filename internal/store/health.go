package store

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// FailureWindow is how long after a failed commit Ready reports the store
// as not ready, unless a commit succeeds first. Without traffic no commit
// can succeed, so a window, not the last result alone, decides: a daemon
// that a load balancer took out of rotation must come back after a while
// to be tried again.
const FailureWindow = time.Minute

// applyError is an error of one request's apply function, such as a
// message that does not exist. It is no fault of the file, so it does not
// count as a failed commit.
type applyError struct{ err error }

func (e *applyError) Error() string { return e.err.Error() }
func (e *applyError) Unwrap() error { return e.err }

// commitHealth is the outcome of the latest commit that reached the file.
type commitHealth struct {
	mu         sync.Mutex
	failedAt   time.Time // zero after a success
	failureErr error
}

func (h *commitHealth) record(err error, now time.Time) {
	var apply *applyError
	if errors.As(err, &apply) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failedAt, h.failureErr = time.Time{}, nil
	if err != nil {
		h.failedAt, h.failureErr = now, err
	}
}

// Ready returns an error while writes to the file are failing, for
// example on a full disk: when the latest commit failed less than
// FailureWindow ago. A successful commit makes it return nil again.
func (s *Store) Ready() error {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	if s.health.failedAt.IsZero() {
		return nil
	}
	ago := s.now().Sub(s.health.failedAt)
	if ago >= FailureWindow {
		return nil
	}
	return fmt.Errorf("the last commit to the database failed %v ago: %w", ago.Round(time.Second), s.health.failureErr)
}
