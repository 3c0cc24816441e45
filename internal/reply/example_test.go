package reply_test

import (
	"fmt"

	"github.com/coachmail/coachmail/internal/reply"
)

func ExampleExtract() {
	body := "1 done\r\n2 not yet, budget frozen\r\n\r\nBest,\r\nSam\r\n\r\n" +
		"On Mon, 2 Mar 2026 at 14:00, Alex Morgan <coach@example.com> wrote:\r\n\r\n" +
		"> What's the most important thing to work on today?\r\n"
	fmt.Println(reply.Extract(body))
	// Output:
	// 1 done
	// 2 not yet, budget frozen
}
