package cycle

import (
	"context"
	"fmt"
	"strings"

	"github.com/coachmail/coachmail/internal/coaching"
)

// EnsureCoaches registers each address as a coach unless one exists: the
// deployment's bootstrap list, so that a new stack recognises its coaches'
// first invitations and notes. It is idempotent and safe to race.
func (c *Cycle) EnsureCoaches(ctx context.Context, emails []string) error {
	for _, e := range emails {
		e = coaching.NormalizeAddress(e)
		_, err := c.Store.CoachByEmail(ctx, e)
		if err == nil {
			continue
		}
		if !coaching.IsNotFound(err) {
			return fmt.Errorf("look up bootstrap coach: %w", err)
		}
		name, _, _ := strings.Cut(e, "@")
		coach := coaching.Coach{ID: coaching.NewID(), Email: e, Name: name, CreatedAt: c.Clock.Now()}
		if err := c.Store.CreateCoach(ctx, coach); err != nil && !coaching.IsConflict(err) {
			return fmt.Errorf("register bootstrap coach: %w", err)
		}
	}
	return nil
}
