package httpapi

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bounced/bounced/internal/store"
	"github.com/bounced/bounced/internal/suppress"
)

// getSuppression returns the entry that suppresses an address, its own or
// its domain's: 200 with the entry, 404 when the address is not
// suppressed.
func (a *api) getSuppression(w http.ResponseWriter, r *http.Request) {
	addr, err := address("address", r.PathValue("address"), true)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}

	e, err := a.store.Suppression(addr)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_suppressed", "address is not suppressed: "+addr)
	case err != nil:
		a.writeInternal(w, r, err)
	default:
		writeJSON(w, http.StatusOK, e)
	}
}

// putRequest is the body of PUT /suppressions/{address}; every field is
// optional.
type putRequest struct {
	Reason  string `json:"reason"`
	Comment string `json:"comment"`
	Expires string `json:"expires"` // RFC 3339
}

// putSuppression adds a manual entry, or turns the existing entry into
// one, and returns it.
func (a *api) putSuppression(w http.ResponseWriter, r *http.Request) {
	addr, err := address("address", r.PathValue("address"), true)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	var req putRequest
	if err := decodeJSON(w, r, &req); err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	expires, err := timeField("expires", req.Expires)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	if !expires.IsZero() && !expires.After(time.Now()) {
		writeInvalid(w, "expires", "expires must be in the future")
		return
	}

	entry := store.ManualEntry{Address: addr, Reason: req.Reason, Comment: req.Comment, Expires: expires}
	if _, err := a.store.AddSuppressions(r.Context(), []store.ManualEntry{entry}); err != nil {
		a.writeInternal(w, r, err)
		return
	}
	e, err := a.store.Suppression(addr)
	if err != nil {
		a.writeInternal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// deleteSuppression removes the entry of an address, whatever made it,
// with an optional comment in the query. The removal is recorded as an
// event, which the response contains.
func (a *api) deleteSuppression(w http.ResponseWriter, r *http.Request) {
	addr, err := address("address", r.PathValue("address"), true)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}

	ev, err := a.store.RemoveSuppression(r.Context(), addr, r.URL.Query().Get("comment"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		a.writeNoEntry(w, r, addr)
	case err != nil:
		a.writeInternal(w, r, err)
	default:
		writeJSON(w, http.StatusOK, ev)
	}
}

// writeNoEntry writes the error response to the removal of an address
// that has no entry of its own. When a domain-wide entry still suppresses
// the address, the response is a conflict that names that entry. A client
// then does not take the removal for a success and mail an address that
// stays suppressed.
func (a *api) writeNoEntry(w http.ResponseWriter, r *http.Request, addr string) {
	e, err := a.store.Suppression(addr)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_suppressed", "address has no entry of its own: "+addr)
	case err != nil:
		a.writeInternal(w, r, err)
	default:
		writeError(w, http.StatusConflict, "suppressed_by_domain",
			fmt.Sprintf("address %s has no entry of its own but is suppressed by %s; remove that entry to stop suppressing the whole domain", addr, e.Address))
	}
}

type checkRequest struct {
	Addresses []string `json:"addresses"`
}

// checkResult is the result for one address of a check, in request order.
type checkResult struct {
	Address    string             `json:"address"`
	Suppressed bool               `json:"suppressed"`
	Entry      *store.Suppression `json:"entry,omitempty"`
}

// checkSuppressions looks up to maxCheckAddresses addresses in one read
// transaction.
func (a *api) checkSuppressions(w http.ResponseWriter, r *http.Request) {
	var req checkRequest
	if err := decodeJSON(w, r, &req); err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	if len(req.Addresses) == 0 || len(req.Addresses) > maxCheckAddresses {
		writeInvalid(w, "addresses", "addresses must hold 1 to "+strconv.Itoa(maxCheckAddresses)+" addresses")
		return
	}
	for i, raw := range req.Addresses {
		addr, err := address("addresses", raw, false)
		if err != nil {
			a.writeRequestError(w, r, err)
			return
		}
		req.Addresses[i] = addr
	}

	found, err := a.store.CheckSuppressions(req.Addresses)
	if err != nil {
		a.writeInternal(w, r, err)
		return
	}
	results := make([]checkResult, len(req.Addresses))
	for i, addr := range req.Addresses {
		results[i] = checkResult{Address: addr}
		if e, ok := found[addr]; ok {
			results[i].Suppressed, results[i].Entry = true, &e
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Results []checkResult `json:"results"`
	}{results})
}

// suppressionFilter reads the filters of GET /suppressions.
func (a *api) suppressionFilter(r *http.Request) (store.SuppressionFilter, error) {
	q := r.URL.Query()
	f := store.SuppressionFilter{Domain: q.Get("domain"), Kind: suppress.Kind(q.Get("kind"))}
	switch f.Kind {
	case "", suppress.KindHard, suppress.KindSoft, suppress.KindComplaint, suppress.KindManual:
	default:
		return f, invalid("kind", "invalid kind %q: want hard, soft, complaint or manual", f.Kind)
	}
	var err error
	if f.Reason, err = a.reasonParam(r); err != nil {
		return f, err
	}
	f.Since, err = timeParam(r, "since")
	return f, err
}

func (a *api) listSuppressions(w http.ResponseWriter, r *http.Request) {
	listPage(a, w, r, a.suppressionFilter, a.store.Suppressions)
}

var csvHeader = []string{"address", "kind", "reason", "policy", "rule", "first_seen", "last_seen", "count", "event_id", "expires", "comment"}

// exportSuppressions writes every entry that matches the filters as CSV,
// page by page, so that memory stays bounded. Each page is its own read
// transaction, so an entry added during the export may be missing.
func (a *api) exportSuppressions(w http.ResponseWriter, r *http.Request) {
	f, err := a.suppressionFilter(r)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	entries, cursor, err := a.store.Suppressions(f, "", store.MaxPageSize)
	if err != nil {
		a.writeInternal(w, r, err)
		return
	}

	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="suppressions.csv"`)
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for {
		for i := range entries {
			cw.Write(csvRecord(&entries[i]))
		}
		if cursor == "" {
			break
		}
		if entries, cursor, err = a.store.Suppressions(f, cursor, store.MaxPageSize); err != nil {
			// The status is sent; a truncated file is all that can tell.
			a.log.Error("csv export failed", "err", err)
			break
		}
	}
	cw.Flush()
}

func csvRecord(e *store.Suppression) []string {
	record := []string{
		e.Address, string(e.Kind), e.Reason, e.Policy, e.Rule,
		csvTime(e.FirstSeen), csvTime(e.LastSeen), strconv.Itoa(e.Count),
		strconv.FormatUint(e.EventID, 10), csvTime(e.Expires), e.Comment,
	}
	for i, cell := range record {
		record[i] = csvCell(cell)
	}
	return record
}

// csvCell defuses a cell that a spreadsheet would run as a formula
// (CSV injection): one that starts with =, +, -, @, a tab or a carriage
// return gets a leading single quote. Addresses and comments can come from
// forged bounces, so every cell is checked.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

type deliveryRequest struct {
	Address string `json:"address"`
	Time    string `json:"time"` // RFC 3339
}

// postDelivery records a successful delivery reported by the sender,
// which clears a soft suppression of the address.
func (a *api) postDelivery(w http.ResponseWriter, r *http.Request) {
	var req deliveryRequest
	if err := decodeJSON(w, r, &req); err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	addr, err := address("address", req.Address, false)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	at, err := timeField("time", req.Time)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	ev, err := a.store.RecordDelivery(r.Context(), addr, at)
	if err != nil {
		a.writeInternal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ev)
}
