package local

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/token"
)

// The demo coach and leader seeded on first start. Their addresses are in
// the example domains of RFC 2606: nothing is ever delivered there, and
// local mode delivers nothing anyway.
var (
	DemoCoach = coaching.Coach{
		Email:    "robin@coach.example",
		Name:     "Robin Ellis",
		Practice: "Northwind Coaching",
		// A recap a minute after the notes rather than half an hour, so
		// that a first try shows one soon.
		Offsets: coaching.Offsets{Review: time.Minute},
	}
	DemoLeader = coaching.Leader{
		Email: "dana@leader.example",
		Name:  "Dana Lee",
	}
)

// Seed says what was seeded on first start.
type Seed struct {
	Coach   coaching.Coach
	Leader  coaching.Leader
	Session coaching.Session
}

// seedMarker is the file whose presence says the store was seeded once,
// so that a deleted demo coach stays deleted.
const seedMarker = "seeded"

// seed stores the demo coach and leader, and a session of theirs that
// started an hour ago (so that notes sent now find it), unless they were
// seeded before. zone is the time zone given to both.
func (s *Stack) seed(ctx context.Context, zone string) (*Seed, error) {
	marker := s.path(seedMarker)
	if _, err := os.Stat(marker); err == nil {
		return nil, nil
	}
	if _, err := s.store.CoachByEmail(ctx, DemoCoach.Email); err == nil {
		return nil, os.WriteFile(marker, nil, 0o600)
	} else if !coaching.IsNotFound(err) {
		return nil, fmt.Errorf("seed: look up demo coach: %w", err)
	}
	now := s.clock.Now()
	coach := DemoCoach
	coach.ID, coach.TimeZone, coach.CreatedAt = coaching.NewID(), zone, now
	if s.opts.SeedReview > 0 {
		coach.Offsets.Review = s.opts.SeedReview
	}
	if err := s.store.CreateCoach(ctx, coach); err != nil {
		return nil, fmt.Errorf("seed: demo coach: %w", err)
	}
	leader := DemoLeader
	leader.ID, leader.CoachID, leader.TimeZone, leader.CreatedAt = coaching.NewID(), coach.ID, zone, now
	if err := s.store.CreateLeader(ctx, leader); err != nil {
		return nil, fmt.Errorf("seed: demo leader: %w", err)
	}
	start := now.Add(-time.Hour).Truncate(time.Minute)
	session, err := s.cycle.AddSession(ctx, coaching.Session{
		ID: coaching.NewID(), CoachID: coach.ID, LeaderIDs: []string{leader.ID},
		Title: "Coaching: Dana and Robin", Start: start, End: start.Add(time.Hour), TimeZone: zone,
		Status: coaching.SessionScheduled, CreatedAt: now, UpdatedAt: now,
	})
	if err != nil {
		return nil, fmt.Errorf("seed: demo session: %w", err)
	}
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return &Seed{Coach: coach, Leader: leader, Session: session}, nil
}

// keyringFile is the JSON form token.ParseKeyring reads.
type keyringFile struct {
	Current string            `json:"current"`
	Keys    map[string]string `json:"keys"`
}

// loadKeyring reads the token keyring at path, or makes one with a fresh
// 32-byte key and writes it there (mode 0600) when there is none. It
// reports whether it made one.
func loadKeyring(path string) (*token.Keyring, bool, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		kr, err := token.ParseKeyring(data)
		if err != nil {
			return nil, false, fmt.Errorf("keyring %s: %w", path, err)
		}
		return kr, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("keyring: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, false, fmt.Errorf("keyring: new key: %w", err)
	}
	data, err = json.MarshalIndent(keyringFile{Current: "local1", Keys: map[string]string{"local1": base64.StdEncoding.EncodeToString(key)}}, "", "  ")
	if err != nil {
		return nil, false, fmt.Errorf("keyring: %w", err)
	}
	kr, err := token.ParseKeyring(data)
	if err != nil {
		return nil, false, fmt.Errorf("keyring: %w", err)
	}
	// O_EXCL: two processes starting on one folder must not each write a
	// key of their own.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("keyring: %w", err)
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("keyring: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, false, fmt.Errorf("keyring: write %s: %w", path, err)
	}
	return kr, true, nil
}
