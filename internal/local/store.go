package local

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/truora/minidyn/server"
)

// snapshotVersion is the format of the snapshot file; a file of another
// version is refused rather than half-read.
const snapshotVersion = 1

// snapshot is the file the embedded store keeps its items in: every item
// of the table in DynamoDB's JSON form, exactly as Scan returned it.
type snapshot struct {
	Version int               `json:"version"`
	Table   string            `json:"table"`
	Saved   time.Time         `json:"saved"`
	Items   []json.RawMessage `json:"items"`
}

// Debounce of snapshots: a write schedules one after snapshotQuiet without
// further writes, and never later than snapshotMax after the first.
const (
	snapshotQuiet = 250 * time.Millisecond
	snapshotMax   = 2 * time.Second
)

// writeOps are the DynamoDB operations that change items.
var writeOps = map[string]bool{
	"PutItem": true, "UpdateItem": true, "DeleteItem": true,
	"BatchWriteItem": true, "TransactWriteItems": true,
}

// embeddedDB is the in-process DynamoDB-compatible server (minidyn) with
// its table kept in a snapshot file: written after changes and on close,
// read back on start. The snapshot is taken and restored through the
// DynamoDB API itself (Scan, BatchWriteItem), in process: it is not a
// request path, and minidyn answers a Scan without Limit in one page under
// its lock, so a snapshot never holds half a transaction.
type embeddedDB struct {
	api   http.Handler // minidyn, unwrapped
	path  string
	table string
	log   *slog.Logger

	mu    sync.Mutex
	dirty bool
	kick  chan struct{}
	stop  chan struct{}
	done  chan struct{}
}

func newEmbeddedDB(path, table string, log *slog.Logger) *embeddedDB {
	return &embeddedDB{
		api: server.NewServer(), path: path, table: table, log: log,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
}

// ServeHTTP serves the DynamoDB API and notes successful writes. Answers
// carry X-Amz-Crc32, the CRC-32 of the body, as DynamoDB's do: SDK clients
// that check it (the default) would otherwise warn on every call.
func (db *embeddedDB) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{header: w.Header(), status: http.StatusOK}
	db.api.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
	// A failed transaction or condition changes nothing; any write that
	// answered 200 may have.
	if writeOps[target(r)] && rec.status == http.StatusOK {
		db.changed()
	}
}

func (db *embeddedDB) changed() {
	db.mu.Lock()
	db.dirty = true
	db.mu.Unlock()
	select {
	case db.kick <- struct{}{}:
	default:
	}
}

// run writes snapshots after changes until close is called.
func (db *embeddedDB) run() {
	defer close(db.done)
	for {
		select {
		case <-db.stop:
			return
		case <-db.kick:
		}
		first := time.Now()
		quiet := time.NewTimer(snapshotQuiet)
	wait:
		for {
			select {
			case <-db.stop:
				quiet.Stop()
				return
			case <-db.kick:
				if time.Since(first) < snapshotMax {
					quiet.Reset(snapshotQuiet)
				}
			case <-quiet.C:
				break wait
			}
		}
		if err := db.save(); err != nil {
			db.log.Error("store: snapshot failed; retried on the next change and on shutdown", "err", err)
		}
	}
}

// close stops the snapshot loop and writes a last snapshot when anything
// changed since the previous one.
func (db *embeddedDB) close() error {
	close(db.stop)
	<-db.done
	return db.save()
}

// save writes the snapshot if anything changed since the last one.
func (db *embeddedDB) save() error {
	db.mu.Lock()
	dirty := db.dirty
	db.dirty = false
	db.mu.Unlock()
	if !dirty {
		return nil
	}
	items, err := db.scan()
	if err == nil {
		err = db.write(items)
	}
	if err != nil {
		db.mu.Lock()
		db.dirty = true
		db.mu.Unlock()
		return err
	}
	db.log.Debug("store: snapshot written", "items", len(items))
	return nil
}

func (db *embeddedDB) write(items []json.RawMessage) error {
	data, err := json.Marshal(snapshot{Version: snapshotVersion, Table: db.table, Saved: time.Now().UTC(), Items: items})
	if err != nil {
		return fmt.Errorf("store: encode snapshot: %w", err)
	}
	if err := writeFileAtomic(db.path, data, 0o600); err != nil {
		return fmt.Errorf("store: write snapshot: %w", err)
	}
	return nil
}

// scan reads every item of the table.
func (db *embeddedDB) scan() ([]json.RawMessage, error) {
	var items []json.RawMessage
	var start json.RawMessage
	for {
		in := map[string]any{"TableName": db.table}
		if start != nil {
			in["ExclusiveStartKey"] = start
		}
		var out struct {
			Items            []json.RawMessage
			LastEvaluatedKey json.RawMessage
		}
		if err := db.call("Scan", in, &out); err != nil {
			return nil, fmt.Errorf("store: snapshot scan: %w", err)
		}
		items = append(items, out.Items...)
		if len(out.LastEvaluatedKey) == 0 || string(out.LastEvaluatedKey) == "null" || string(out.LastEvaluatedKey) == "{}" {
			return items, nil
		}
		start = out.LastEvaluatedKey
	}
}

// restore reads the snapshot, if there is one, into the table, which must
// exist and be empty. It reports how many items it restored and whether a
// snapshot was found.
func (db *embeddedDB) restore() (int, bool, error) {
	data, err := os.ReadFile(db.path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("store: read snapshot: %w", err)
	}
	var snap snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return 0, true, fmt.Errorf("store: snapshot %s is damaged (%v); move it away to start afresh", db.path, err)
	}
	if snap.Version != snapshotVersion {
		return 0, true, fmt.Errorf("store: snapshot %s has format %d, this coachmail reads %d", db.path, snap.Version, snapshotVersion)
	}
	// BatchWriteItem takes 25 puts at a time.
	for i := 0; i < len(snap.Items); i += 25 {
		batch := snap.Items[i:min(i+25, len(snap.Items))]
		puts := make([]any, len(batch))
		for j, it := range batch {
			puts[j] = map[string]any{"PutRequest": map[string]json.RawMessage{"Item": it}}
		}
		var out struct {
			UnprocessedItems map[string][]json.RawMessage
		}
		if err := db.call("BatchWriteItem", map[string]any{"RequestItems": map[string]any{db.table: puts}}, &out); err != nil {
			return 0, true, fmt.Errorf("store: restore snapshot: %w", err)
		}
		if n := len(out.UnprocessedItems[db.table]); n > 0 {
			return 0, true, fmt.Errorf("store: restore snapshot: %d items left unprocessed", n)
		}
	}
	return len(snap.Items), true, nil
}

// call makes one DynamoDB JSON API call to the in-process server.
func (db *embeddedDB) call(op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", op, err)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "/", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	db.api.ServeHTTP(rec, req)
	if rec.status != http.StatusOK {
		return fmt.Errorf("%s: status %d: %.200s", op, rec.status, rec.body.String())
	}
	if err := json.Unmarshal(rec.body.Bytes(), out); err != nil {
		return fmt.Errorf("%s: decode answer: %w", op, err)
	}
	return nil
}

// target returns the DynamoDB operation a request names.
func target(r *http.Request) string {
	t := r.Header.Get("X-Amz-Target")
	for i := len(t) - 1; i >= 0; i-- {
		if t[i] == '.' {
			return t[i+1:]
		}
	}
	return t
}

// recorder is a ResponseWriter that keeps the response in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }
func (r *recorder) WriteHeader(code int)        { r.status = code }

var _ io.Writer = (*recorder)(nil)

// writeFileAtomic writes data to name through a temporary file in the same
// folder, so that a crash leaves the old file or the new one, never half.
func writeFileAtomic(name string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
