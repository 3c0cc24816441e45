package dynamo_test

import (
	"sync"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
)

func testDueAfterClaim(t *testing.T, e *env) {
	emails := []coaching.ScheduledEmail{
		newEmail("claim", coaching.EmailPrompt, "s1", "l1", at(0)),
		newEmail("send", coaching.EmailBrief, "s1", "", at(0)),
		newEmail("cancel", coaching.EmailRecap, "s1", "l1", at(0)),
		newEmail("fail", coaching.EmailReminder, "s1", "l1", at(0)),
		newEmail("later", coaching.EmailReminder, "s1", "l1", at(day)),
	}
	must(t, "ScheduleEmails", e.store.ScheduleEmails(e.ctx, emails))
	due := func(when time.Time, want ...string) {
		t.Helper()
		got, err := e.store.DueEmails(e.ctx, when, 0)
		must(t, "DueEmails", err)
		equal(t, "DueEmails("+when.Format(time.RFC3339)+")", sortedIDs(emailIDs(got)), sortedIDs(append([]string{}, want...)))
	}
	due(at(time.Minute), "claim", "send", "cancel", "fail")

	now := at(time.Minute)
	lease := now.Add(5 * time.Minute)
	get := func(id string) coaching.ScheduledEmail {
		t.Helper()
		em, err := e.store.EmailByID(e.ctx, id)
		must(t, "EmailByID "+id, err)
		return em
	}

	claimed, err := e.store.ClaimEmail(e.ctx, get("claim"), now, lease)
	must(t, "ClaimEmail(claim)", err)
	if claimed.State != coaching.EmailClaimed || claimed.Attempts != 1 || claimed.Version != 2 || !claimed.LeaseUntil.Equal(lease) {
		t.Errorf("claimed = %+v, want claimed, 1 attempt, version 2, lease %v", claimed, lease)
	}
	equal(t, "stored claimed email", get("claim"), claimed)

	send := get("send")
	send.MessageID = "brief-1@coachmail.example"
	sending, err := e.store.ClaimEmail(e.ctx, send, now, lease)
	must(t, "ClaimEmail(send)", err)
	sending.SESMessageID = "ses-1"
	must(t, "MarkSent", e.store.MarkSent(e.ctx, sending, coaching.SentRef{
		MessageID: sending.MessageID, TokenID: "tok-brief", EmailID: "send", Kind: coaching.EmailBrief,
		SessionID: "s1", CoachID: "c1", SentAt: now.Add(time.Second), Expires: now.Add(90 * day),
	}))

	cancelled := get("cancel")
	cancelled.State = coaching.EmailCancelled
	must(t, "UpdateEmail(cancel)", e.store.UpdateEmail(e.ctx, cancelled))
	failed := get("fail")
	failed.State, failed.Error = coaching.EmailFailed, "address rejected"
	must(t, "UpdateEmail(fail)", e.store.UpdateEmail(e.ctx, failed))

	// While the lease runs, nothing of these is due; once it ends, the
	// claimed email is due again (its sender died), the rest never.
	due(at(2 * time.Minute))
	due(lease, "claim")
	due(at(2*day), "claim", "later")

	_, err = e.store.ClaimEmail(e.ctx, claimed, at(2*time.Minute), at(10*time.Minute))
	wantCode(t, "ClaimEmail(lease running)", err, coaching.ECONFLICT)
	again, err := e.store.ClaimEmail(e.ctx, claimed, lease, lease.Add(5*time.Minute))
	must(t, "ClaimEmail(lease ended)", err)
	if again.Attempts != 2 || again.Version != 3 {
		t.Errorf("reclaimed: attempts %d version %d, want 2 and 3", again.Attempts, again.Version)
	}
	_, err = e.store.ClaimEmail(e.ctx, get("later"), now, lease)
	wantCode(t, "ClaimEmail(not due)", err, coaching.ECONFLICT)
	_, err = e.store.ClaimEmail(e.ctx, get("send"), at(2*day), at(3*day))
	wantCode(t, "ClaimEmail(sent)", err, coaching.ECONFLICT)
	_, err = e.store.ClaimEmail(e.ctx, get("later"), at(2*day), at(day))
	wantCode(t, "ClaimEmail(lease before now)", err, coaching.EINVALID)

	sent := get("send")
	if sent.State != coaching.EmailSent || sent.SESMessageID != "ses-1" || !sent.SentAt.Equal(now.Add(time.Second)) || sent.Version != 3 {
		t.Errorf("sent email = %+v, want sent with its SES id, send time and version 3", sent)
	}
	wantCode(t, "MarkSent(again)", e.store.MarkSent(e.ctx, sending, coaching.SentRef{MessageID: "other@x", SentAt: now}), coaching.ECONFLICT)
}

// testClaimRace lets several dispatchers claim the same email at once:
// exactly one wins.
func testClaimRace(t *testing.T, e *env) {
	em := newEmail("race", coaching.EmailPrompt, "s1", "l1", at(0))
	must(t, "ScheduleEmails", e.store.ScheduleEmails(e.ctx, []coaching.ScheduledEmail{em}))
	em.Version = 1
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = e.store.ClaimEmail(e.ctx, em, at(time.Minute), at(10*time.Minute))
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case coaching.IsConflict(err):
		default:
			t.Errorf("claim %d: %v, want nil or a conflict", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d claims won, want exactly 1", won, n)
	}
	got, err := e.store.EmailByID(e.ctx, "race")
	must(t, "EmailByID", err)
	if got.Attempts != 1 || got.Version != 2 {
		t.Errorf("after the race: attempts %d version %d, want 1 and 2", got.Attempts, got.Version)
	}
}

func testSentRefs(t *testing.T, e *env) {
	em := newEmail("p1", coaching.EmailPrompt, "s1", "l1", at(0))
	must(t, "ScheduleEmails", e.store.ScheduleEmails(e.ctx, []coaching.ScheduledEmail{em}))
	em.Version = 1
	em.MessageID = "prompt-p1@coachmail.example"
	claimed, err := e.store.ClaimEmail(e.ctx, em, at(0), at(time.Minute))
	must(t, "ClaimEmail", err)
	ref := coaching.SentRef{
		MessageID: claimed.MessageID, TokenID: "tok-1", EmailID: "p1", Kind: coaching.EmailPrompt,
		SessionID: "s1", LeaderID: "l1", CoachID: "c1", SentAt: at(time.Second), Expires: at(180 * day),
	}
	must(t, "MarkSent", e.store.MarkSent(e.ctx, claimed, ref))

	got, err := e.store.SentRefByMessageID(e.ctx, "<prompt-p1@coachmail.example>")
	must(t, "SentRefByMessageID", err)
	equal(t, "SentRefByMessageID(<…>)", got, ref)
	got, err = e.store.SentRefByToken(e.ctx, "tok-1")
	must(t, "SentRefByToken", err)
	equal(t, "SentRefByToken(tok-1)", got, ref)

	_, err = e.store.SentRefByMessageID(e.ctx, "unknown@mail.example")
	wantCode(t, "SentRefByMessageID(unknown)", err, coaching.ENOTFOUND)
	_, err = e.store.SentRefByToken(e.ctx, "tok-unknown")
	wantCode(t, "SentRefByToken(unknown)", err, coaching.ENOTFOUND)

	// A second email claiming the same Message-ID is refused whole.
	em2 := newEmail("p2", coaching.EmailPrompt, "s2", "l1", at(0))
	must(t, "ScheduleEmails", e.store.ScheduleEmails(e.ctx, []coaching.ScheduledEmail{em2}))
	em2.Version = 1
	claimed2, err := e.store.ClaimEmail(e.ctx, em2, at(0), at(time.Minute))
	must(t, "ClaimEmail", err)
	dup := ref
	dup.EmailID = "p2"
	wantCode(t, "MarkSent(Message-ID taken)", e.store.MarkSent(e.ctx, claimed2, dup), coaching.ECONFLICT)
	still, err := e.store.EmailByID(e.ctx, "p2")
	must(t, "EmailByID", err)
	equal(t, "p2 after the refused MarkSent", still, claimed2)
}
