package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/store"
)

// maxJSONBody bounds a JSON request body; a check of 1,000 addresses of
// 320 octets fits.
const maxJSONBody = 1 << 20

// maxCheckAddresses is the largest number of addresses one check takes.
const maxCheckAddresses = 1000

// maxAddressLen is the longest address accepted: the store does not index
// longer ones.
const maxAddressLen = 320

// badRequest is an invalid field of a request.
type badRequest struct {
	field, message string
}

func (e *badRequest) Error() string { return e.message }

func invalid(field, format string, args ...any) error {
	return &badRequest{field: field, message: fmt.Sprintf(format, args...)}
}

// writeRequestError writes a 400 response for a badRequest or an invalid
// cursor, and a 500 response for any other error.
func (a *api) writeRequestError(w http.ResponseWriter, r *http.Request, err error) {
	var bad *badRequest
	if errors.As(err, &bad) {
		writeInvalid(w, bad.field, bad.message)
		return
	}
	if errors.Is(err, store.ErrInvalidCursor) {
		writeInvalid(w, "cursor", "invalid cursor; use the next_cursor of a previous page")
		return
	}
	a.writeInternal(w, r, err)
}

// address returns the normalised form of a mailbox or, when wildcard is
// set, of a domain-wide entry "*@domain".
func address(field, value string, wildcard bool) (string, error) {
	a := store.NormalizeAddress(value)
	local, domain, found := strings.Cut(a, "@")
	switch {
	case !found || local == "" || domain == "" || strings.Contains(domain, "@"):
		return "", invalid(field, "invalid address %q: want local@domain", value)
	case len(a) > maxAddressLen:
		return "", invalid(field, "invalid address %q: longer than %d octets", value, maxAddressLen)
	case local == "*" && !wildcard:
		return "", invalid(field, "invalid address %q: a domain-wide entry is not allowed here", value)
	case strings.ContainsAny(domain, "* \t"):
		// A lookup compares whole domains, so "*@*.example.com" would
		// match no subdomain, only a literal "*.example.com".
		return "", invalid(field, "invalid address %q: the domain may not contain '*' or white space; a domain-wide entry covers one domain, so add each subdomain as *@sub.domain", value)
	}
	return a, nil
}

// timeParam returns the RFC 3339 time of query parameter name, or zero.
func timeParam(r *http.Request, name string) (time.Time, error) {
	return timeField(name, r.URL.Query().Get(name))
}

// timeField parses v, the RFC 3339 time of query parameter or JSON body
// field name. An empty v is the zero time.
func timeField(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, invalid(name, "invalid %s %q: want an RFC 3339 time such as 2026-12-01T00:00:00Z", name, v)
	}
	return t, nil
}

// reasonParam returns the reason query parameter. It must be a reason the
// classifier gives, "manual", or the reason of an entry on the list,
// because an operator may add entries with a reason of their own.
func (a *api) reasonParam(r *http.Request) (string, error) {
	v := r.URL.Query().Get("reason")
	if v == "" || v == "manual" || slices.Contains(classify.Reasons, classify.Reason(v)) {
		return v, nil
	}
	counts, err := a.store.SuppressionsByReason()
	if err != nil {
		return "", err
	}
	if counts[v] == 0 {
		return "", invalid("reason", "unknown reason %q: want a reason such as userunknown or mailboxfull (see the API description), manual, or the reason of a manual entry", v)
	}
	return v, nil
}

// enumParam returns query parameter name, which must be empty or one of
// values.
func enumParam[T ~string](r *http.Request, name string, values []T) (string, error) {
	v := r.URL.Query().Get(name)
	if v == "" || slices.Contains(values, T(v)) {
		return v, nil
	}
	return "", invalid(name, "unknown %s %q: want one of %s", name, v, strings.Join(stringsOf(values), ", "))
}

func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// limitParam returns the limit query parameter, or 0 for the default.
func limitParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > store.MaxPageSize {
		return 0, invalid("limit", "invalid limit %q: want 1 to %d", v, store.MaxPageSize)
	}
	return n, nil
}

func idParam(r *http.Request) (uint64, error) {
	v := r.PathValue("id")
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil || id == 0 {
		return 0, invalid("id", "invalid id %q: want a positive integer", v)
	}
	return id, nil
}

// decodeJSON reads a JSON body into v, rejecting unknown fields.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		return nil // an empty body leaves every field at its zero value
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return invalid(typeErr.Field, "invalid %s: want a JSON %s, not %s", typeErr.Field, typeErr.Type, typeErr.Value)
	}
	if err != nil {
		return invalid("body", "invalid JSON body: %v", err)
	}
	return nil
}
