package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/bounced/bounced/internal/eval"
)

// evalMinimums holds the -min-FIELD flags.
type evalMinimums map[string]*float64

// evalCommand implements `bounced eval`: it runs every .eml file of DIR
// through ingest.Analyze, the daemon's own parse and classify step, and
// compares the result with a labels file. It exits 1 when a score is below
// its -min flag or a file could not be read.
func evalCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	labelsPath := fs.String("labels", "", "labels `file` (default: labels.tsv in DIR or up to two folders above it)")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	mins := evalMinimums{}
	for _, field := range eval.Fields {
		mins[field] = fs.Float64("min-"+field, 0, "exit 1 when the "+field+" agreement rate (0 to 1) is below `rate`")
	}
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: bounced eval [flags] DIR\n\nScores parse and classify on the .eml files of DIR against a labels file.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir := fs.Arg(0)
	if fs.NArg() > 1 {
		// Flags may follow DIR too.
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return 2
		}
		if fs.NArg() != 0 {
			fs.Usage()
			return 2
		}
	}
	if dir == "" {
		fs.Usage()
		return 2
	}
	if err := checkEvalRates(mins); err != nil {
		fmt.Fprintf(stderr, "bounced eval: %v\n", err)
		return 2
	}
	if err := checkEvalDir(dir); err != nil {
		fmt.Fprintf(stderr, "bounced eval: %v\n", err)
		return 1
	}

	report, err := eval.Run(dir, *labelsPath)
	if err != nil {
		fmt.Fprintf(stderr, "bounced eval: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		err = enc.Encode(report)
	} else {
		err = report.Write(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bounced eval: %v\n", err)
		return 1
	}
	return mins.check(report, stderr)
}

// check returns 1 and names each field whose rate is below its minimum.
func (m evalMinimums) check(report *eval.Report, stderr io.Writer) int {
	status := 0
	for _, field := range eval.Fields {
		s := report.Scores[field]
		if min := *m[field]; s.Rate < min {
			fmt.Fprintf(stderr, "bounced eval: %s agreement %.4f is below -min-%s %.4f\n", field, s.Rate, field, min)
			status = 1
		}
	}
	if report.Errors > 0 {
		status = 1
	}
	return status
}
