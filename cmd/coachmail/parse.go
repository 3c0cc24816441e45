package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/coachmail/coachmail/internal/reading"
)

// parseCmd prints the reading of one message as one JSON object. It exits
// 0 for any message it can read, and 1 with a one-line error for input that
// is not a message at all.
func parseCmd(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	commitments := fs.String("commitments", "", "JSON file: array of the commitment texts the prompt listed, in order")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: coachmail parse [--commitments FILE] MESSAGE.eml (- for standard input)")
		return 2
	}
	var opts reading.Options
	if *commitments != "" {
		data, err := os.ReadFile(*commitments)
		if err != nil {
			fmt.Fprintf(stderr, "coachmail parse: %v\n", err)
			return 1
		}
		if err := json.Unmarshal(data, &opts.Commitments); err != nil {
			fmt.Fprintf(stderr, "coachmail parse: %s: not a JSON array of strings: %v\n", *commitments, err)
			return 1
		}
	}
	in := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "coachmail parse: %v\n", err)
			return 1
		}
		defer f.Close()
		in = f
	}
	rd, err := reading.Read(in, opts)
	if err != nil {
		fmt.Fprintf(stderr, "coachmail parse: %v\n", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rd); err != nil {
		fmt.Fprintf(stderr, "coachmail parse: write: %v\n", err)
		return 1
	}
	return 0
}
