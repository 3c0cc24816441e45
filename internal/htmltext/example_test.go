package htmltext_test

import (
	"fmt"

	"github.com/coachmail/coachmail/internal/htmltext"
)

func ExampleConvert() {
	html := `<div dir="ltr">Decision: hire a COO.<ul><li>Talk to the CFO</li><li>Draft the plan</li></ul></div>` +
		`<div class="gmail_quote">On Mon, Coach wrote:<blockquote class="gmail_quote">old</blockquote></div>`
	fmt.Println(htmltext.Convert(html, htmltext.Options{DropQuotes: true}))
	// Output:
	// Decision: hire a COO.
	//
	// - Talk to the CFO
	// - Draft the plan
}
