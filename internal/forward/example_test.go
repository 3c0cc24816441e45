package forward_test

import (
	"fmt"
	"time"

	"github.com/coachmail/coachmail/internal/forward"
)

func ExampleParse() {
	body := `Notes from Alex, for the file.

---------- Forwarded message ---------
From: Alex Morgan <Alex.Morgan@example.com>
Date: Wed, Nov 25, 2026 at 10:02 AM
Subject: Session notes
To: Sam Coach <sam@example.com>

Decision: Priya takes over the weekly report.`

	res, ok := forward.Parse("Fwd: Session notes", body)
	fmt.Println(ok, res.Message)
	for _, m := range res.Forwarded {
		fmt.Println(m.From.Name, m.From.Address, m.Date.Format(time.RFC3339), m.Subject)
		fmt.Println(m.Body)
	}
	// Output:
	// true Notes from Alex, for the file.
	// Alex Morgan alex.morgan@example.com 2026-11-25T10:02:00Z Session notes
	// Decision: Priya takes over the weekly report.
}

func ExampleIsForwardSubject() {
	for _, s := range []string{"Fwd: Notes", "WG: Notizen", "Re: Fwd: Notes", "Notes"} {
		fmt.Println(s, forward.IsForwardSubject(s))
	}
	// Output:
	// Fwd: Notes true
	// WG: Notizen true
	// Re: Fwd: Notes false
	// Notes false
}
