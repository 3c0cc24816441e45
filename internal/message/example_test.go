package message_test

import (
	"fmt"
	"strings"

	"github.com/coachmail/coachmail/internal/message"
)

func ExampleRead() {
	raw := "From: =?utf-8?Q?Ren=C3=A9e?= <Renee@Example.com>\r\n" +
		"To: notes@coachmail.example\r\n" +
		"Subject: Re: Your commitments\r\n" +
		"Date: Tue, 4 Mar 2025 09:12:44 +0100\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n" +
		"\r\n" +
		"<p>1 done</p><div class=\"gmail_quote\">On Monday, Coach wrote: ...</div>\r\n"
	m, err := message.Read(strings.NewReader(raw), message.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.From.Name, m.From.Address)
	fmt.Println(m.Date.Format("2006-01-02 15:04 -0700"))
	fmt.Println(m.AutoReply, m.Bounce)
	fmt.Printf("%q\n", m.BodyText())
	// Output:
	// Renée renee@example.com
	// 2025-03-04 09:12 +0100
	// false false
	// "1 done\n\nOn Monday, Coach wrote: ..."
}
