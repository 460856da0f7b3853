package main

import (
	"github.com/bounced/bounced/internal/eval"

	"errors"
	"fmt"
	"io/fs"
	"os"
)

// checkEvalRates checks that each -min flag of eval is an agreement rate
// from 0 to 1.
func checkEvalRates(mins evalMinimums) error {
	for _, field := range eval.Fields {
		if rate := *mins[field]; !(rate >= 0 && rate <= 1) {
			return fmt.Errorf("invalid -min-%s %v: want a rate from 0 to 1", field, rate)
		}
	}
	return nil
}

// checkEvalDir checks that the eval folder exists, before the labels file
// is looked for in and above it.
func checkEvalDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("folder %q does not exist", dir)
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("%q is not a folder; give the folder of the .eml files", dir)
	}
	return nil
}
