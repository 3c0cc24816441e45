// Command coachmail is the operator's tool and the local mode of coachmail:
// it reads messages as the inbound function would (parse), runs the whole
// workflow on one machine (run, demo), and manages coaches, leaders,
// sessions, the quarantine and erasure against a store.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand: it returns the process exit status.
type command func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

func commands() map[string]command {
	cmds := map[string]command{
		"parse": parseCmd,
		"run":   runCmd,
		"demo":  demoCmd,
		"send":  sendCmd,
	}
	for _, more := range []map[string]command{adminCommands(), mailCommands()} {
		for name, c := range more {
			cmds[name] = c
		}
	}
	return cmds
}

const usage = `usage: coachmail COMMAND [flags]

commands:
  parse [--commitments FILE] MESSAGE.eml   print what coachmail reads in a message, as JSON
  run [flags]                              run the whole workflow on this machine (SMTP, outbox, store, dispatcher)
  demo [flags]                             play one coaching cycle on the local mode and print what each person received
  send --from A --to B [flags] < BODY      send one email over SMTP to the local mode
` + mailUsage + adminUsage

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "coachmail: unknown command %q\n%s", args[0], usage)
		return 2
	}
	return cmd(ctx, args[1:], stdin, stdout, stderr)
}
