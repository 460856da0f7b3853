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
//	bounced suppressions ...  query and edit the suppression list of a daemon
//	bounced events            list the bounce events of a daemon
//	bounced quarantine        list the messages a daemon could not parse
//	bounced import PATH       ingest an mbox, a Maildir, .eml files or one message
//	bounced reprocess         parse and classify a daemon's stored messages again
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
	code := dispatch(args, stdout, stderr)
	if code == 2 && helpRequested(args[1:]) {
		// The command printed its usage because -h asked for it, which is
		// not a usage error.
		return 0
	}
	return code
}

// helpRequested reports whether args hold -h, -help or --help before a
// "--" that ends the flags.
func helpRequested(args []string) bool {
	for _, arg := range args {
		switch arg {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	switch args[0] {
	case "serve":
		return serve(args[1:], stderr)
	case "parse":
		return parseFiles(args[1:], stdout, stderr)
	case "verp":
		if helpRequested(args[1:2]) {
			fmt.Fprintln(stdout, verpUsage)
			return 0
		}
		return verpCommand(args[1:], stdout, stderr)
	case "rules":
		return rulesCommand(args[1:], stdout, stderr)
	case "suppressions":
		return suppressionsCommand(args[1:], stdout, stderr)
	case "events":
		return eventsCommand(args[1:], stdout, stderr)
	case "quarantine":
		return quarantineCommand(args[1:], stdout, stderr)
	case "import":
		return importCommand(args[1:], stdout, stderr)
	case "reprocess":
		return reprocessCommand(args[1:], stdout, stderr)
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
  verp       encode or decode VERP return paths, signed when a key is set
  suppressions list|get|add|remove|check|export
             query and edit the suppression list of a running daemon
  events     list bounce events of a running daemon, as JSON lines
  quarantine list the messages a running daemon could not parse
  import     ingest an mbox, a Maildir, a folder of .eml files or one message through a running daemon
  reprocess  parse and classify a running daemon's stored messages again
  rules      check an operator rules file, or show which rule fires for a bounce
  eval       score parse and classify on a folder of .eml files against labels

The commands that talk to a daemon take -api.addr and -api.token, or
$BOUNCED_API_ADDR and $BOUNCED_API_TOKEN.

Run "bounced COMMAND -h" for the flags of a command.
`)
}
