package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/coachmail/coachmail/internal/coaching"
)

// seenItem marks a message, by its fingerprint, as taken in by the
// delivery that first carried it. It holds no address or content: the
// fingerprint is a hash the caller makes.
type seenItem struct {
	meta
	Delivery string
	At       time.Time
}

// errSeen is the refusal of a claim held by another delivery; ClaimMessage
// then reads the holder.
var errSeen = coaching.Errorf(coaching.ECONFLICT, "message already claimed")

// ClaimMessage claims the message with the given fingerprint for a
// delivery and returns the delivery that holds the claim: the given one
// when the message is new or this delivery claimed it before (a retry),
// another one when the message came in before under another delivery id.
// The claim is one conditional PutItem of a small item and expires at
// expires.
func (s *Store) ClaimMessage(ctx context.Context, fingerprint, delivery string, at, expires time.Time) (string, error) {
	if err := checkID("message fingerprint", fingerprint); err != nil {
		return "", err
	}
	if err := checkID("delivery id", delivery); err != nil {
		return "", err
	}
	for _, t := range []time.Time{at, expires} {
		if err := checkTime("time of message claim", t); err != nil {
			return "", err
		}
	}
	k := seenKey(fingerprint)
	m := newMeta(typeSeen, k)
	m.TTL = ttlOf(expires)
	item, err := s.marshal(seenItem{meta: m, Delivery: delivery, At: at})
	if err != nil {
		return "", err
	}
	// An expired claim may outlive its TTL for a while (DynamoDB deletes
	// lazily); it counts as absent.
	cond := absent().Or(expression.Name("Delivery").Equal(expression.Value(delivery)),
		expression.Name(attrTTL).LessThan(expression.Value(at.Unix())))
	for attempt := 0; ; attempt++ {
		err = s.put(ctx, item, &cond, "message claim", errSeen)
		if err == nil {
			return delivery, nil
		}
		if err != errSeen {
			return "", err
		}
		var held seenItem
		err = s.get(ctx, k, &held, "message claim")
		if err == nil {
			return held.Delivery, nil
		}
		if !coaching.IsNotFound(err) || attempt == maxAttempts {
			return "", err
		}
		// The holder expired between the two calls: claim again.
	}
}
