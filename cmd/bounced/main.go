// Command bounced receives bounce mail over SMTP, works out why each
// delivery failed, keeps the result and serves a suppression list and
// metrics.
//
// Usage:
//
//	bounced serve [flags]     run the daemon
//	bounced parse FILE...     print the parsed, classified result of each file
//	bounced eval [flags] DIR  score parse and classify against a labels file
//
// Run a subcommand with -h for its flags.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}

	switch args[0] {
	case "serve":
		return serve(args[1:], stderr)
	case "parse":
		return parseFiles(args[1:], stdout, stderr)
	case "eval":
		return evalCommand(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "bounced: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: bounced COMMAND [flags]

Commands:
  serve      run the daemon: SMTP listener, HTTP API and metrics
  parse      parse and classify bounce files, one JSON line per recipient
  eval       score parse and classify on a folder of .eml files against labels

Run "bounced COMMAND -h" for the flags of a command.
`)
}
