// Command bounced receives bounce mail over SMTP, works out why each
// delivery failed, keeps the result and serves a suppression list and
// metrics.
//
// Usage:
//
//	bounced serve [flags]     run the daemon
//	bounced parse FILE...     print the parsed, classified result of each file
//	bounced verp encode|decode  make or read VERP return paths
//	bounced rules check FILE  validate an operator rules file
//	bounced rules test [-rules FILE] FILE.eml...
//	                          show which rule decided each recipient and why
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
	case "verp":
		return verpCommand(args[1:], stdout, stderr)
	case "rules":
		return rulesCommand(args[1:], stdout, stderr)
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
  verp       encode or decode VERP return paths, signed when a key is set
  rules      check an operator rules file, or show which rule fires for a bounce

Run "bounced COMMAND -h" for the flags of a command.
`)
}
