package dynamo

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/coachmail/coachmail/internal/coaching"
)

// anyItem decodes the attributes EraseLeader needs from an item of any type.
type anyItem struct {
	meta
	Email     string // leader
	LeaderID  string // email, outcome, inbound, quarantine, sent ref
	SessionID string // leader's session index
	RawKey    string // inbound, quarantine
}

// EraseLeader deletes every item about a leader and returns the object keys
// of the raw messages that referred to them, for the caller to delete.
//
// Everything of a leader is found by Query, without a Scan: their partition
// LEADER#<id> (the leader, their session index items, their commitments),
// GSI1 under LEADER#<id> (inbound records with their focus answers and
// status reports, folded or not, quarantine records, sent messages, emails
// without a session), and each of their sessions. A 1:1 session goes whole, with its outcomes, emails, sent
// messages without a leader and calendar index; a group session loses the
// leader (and their outcomes and emails) and stays for the others. A
// calendar series of their sessions goes when it is theirs alone, else it
// loses the leader. The
// leader item goes last, so an erase that fails halfway can be run again.
// ENOTFOUND when nothing of the leader exists.
func (s *Store) EraseLeader(ctx context.Context, leaderID string) ([]string, error) {
	notFound := coaching.Errorf(coaching.ENOTFOUND, "leader %q not found", leaderID)
	if !lookupable(leaderID) {
		return nil, notFound
	}
	own, err := s.queryAny(ctx, query{key: expression.Key(attrPK).Equal(expression.Value(leaderPK(leaderID)))}, "items of leader "+leaderID)
	if err != nil {
		return nil, err
	}
	indexed, err := s.queryAny(ctx, query{index: gsi1, key: expression.Key(attrGSI1PK).Equal(expression.Value(leaderPK(leaderID)))}, "indexed items of leader "+leaderID)
	if err != nil {
		return nil, err
	}
	if len(own) == 0 && len(indexed) == 0 {
		return nil, notFound
	}

	var raw []string
	var doomed []key
	var leader *anyItem
	series := map[string]bool{} // calendar UIDs of the leader's sessions
	for i, it := range own {
		switch it.ItemType {
		case typeLeader:
			leader = &own[i]
			continue // last
		case typeLeaderSession:
			uid, err := s.eraseFromSession(ctx, leaderID, it.SessionID, &doomed)
			if err != nil {
				return nil, err
			}
			if uid != "" {
				series[uid] = true
			}
		}
		doomed = append(doomed, key{it.PK, it.SK})
	}
	for _, uid := range slices.Sorted(maps.Keys(series)) {
		if err := s.eraseFromSeries(ctx, leaderID, uid, &doomed); err != nil {
			return nil, err
		}
	}
	for _, it := range indexed {
		if it.RawKey != "" {
			raw = append(raw, it.RawKey)
		}
		doomed = append(doomed, key{it.PK, it.SK})
	}
	if leader != nil && leader.Email != "" {
		doomed = append(doomed, leaderAddressKey(leader.Email), suppressionKey(leader.Email))
	}
	if leader != nil {
		doomed = append(doomed, key{leader.PK, leader.SK})
	}
	seen := map[key]bool{}
	for _, k := range doomed {
		if seen[k] {
			continue
		}
		seen[k] = true
		if err := s.del(ctx, k, nil, "item of leader "+leaderID, nil); err != nil {
			return nil, fmt.Errorf("erase leader %s: %w", leaderID, err)
		}
	}
	slices.Sort(raw)
	return slices.Compact(raw), nil
}

// eraseFromSession adds to doomed what a session holds of the leader: the
// whole session when the leader is its only one, else their outcomes and
// emails, and takes the leader out of the session's list. It returns the
// session's calendar UID, whose series must lose the leader too.
func (s *Store) eraseFromSession(ctx context.Context, leaderID, sessionID string, doomed *[]key) (string, error) {
	for attempt := 0; ; attempt++ {
		ss, err := s.SessionByID(ctx, sessionID)
		if coaching.IsNotFound(err) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		whole := len(ss.LeaderIDs) == 0 || (len(ss.LeaderIDs) == 1 && ss.LeaderIDs[0] == leaderID)
		own, err := s.queryAny(ctx, query{key: expression.Key(attrPK).Equal(expression.Value(sessionPK(sessionID)))}, "items of session "+sessionID)
		if err != nil {
			return "", err
		}
		indexed, err := s.queryAny(ctx, query{index: gsi1, key: expression.Key(attrGSI1PK).Equal(expression.Value(sessionPK(sessionID)))}, "indexed items of session "+sessionID)
		if err != nil {
			return "", err
		}
		for _, it := range slices.Concat(own, indexed) {
			if whole || it.LeaderID == leaderID {
				*doomed = append(*doomed, key{it.PK, it.SK})
			}
		}
		if whole {
			if ss.CalendarUID != "" {
				*doomed = append(*doomed, calendarKey(ss.CalendarUID, ss.RecurrenceID))
			}
			return ss.CalendarUID, nil
		}
		if !ss.HasLeader(leaderID) {
			return ss.CalendarUID, nil
		}
		ss.LeaderIDs = slices.DeleteFunc(slices.Clone(ss.LeaderIDs), func(id string) bool { return id == leaderID })
		err = s.UpdateSession(ctx, ss)
		if !coaching.IsConflict(err) || attempt == maxAttempts {
			return ss.CalendarUID, err
		}
		// The session changed meanwhile: read it again.
	}
}

// eraseFromSeries adds the calendar series to doomed when the leader is
// its only one, else takes the leader out of it, so that its top-ups never
// make sessions for an erased leader and its title (which may name them)
// goes with them.
func (s *Store) eraseFromSeries(ctx context.Context, leaderID, uid string, doomed *[]key) error {
	for attempt := 0; ; attempt++ {
		ss, err := s.SeriesByUID(ctx, uid)
		if coaching.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if !slices.Contains(ss.LeaderIDs, leaderID) {
			return nil
		}
		if len(ss.LeaderIDs) == 1 {
			*doomed = append(*doomed, seriesKey(uid))
			return nil
		}
		ss.LeaderIDs = slices.DeleteFunc(slices.Clone(ss.LeaderIDs), func(id string) bool { return id == leaderID })
		err = s.UpdateSeries(ctx, ss)
		if !coaching.IsConflict(err) || attempt == maxAttempts {
			return err
		}
		// The series changed meanwhile: read it again.
	}
}

func (s *Store) queryAny(ctx context.Context, q query, what string) ([]anyItem, error) {
	items, err := s.query(ctx, q, what)
	if err != nil {
		return nil, err
	}
	out := make([]anyItem, 0, len(items))
	for _, it := range items {
		var a anyItem
		if err := s.unmarshal(it, &a); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, a)
	}
	return out, nil
}
