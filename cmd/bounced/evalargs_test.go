package main

import (
	"bytes"
	"testing"
)

func TestEval_ArgumentErrors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantErr    string
	}{
		{"missing folder", []string{"/nonexist"}, 1,
			`bounced eval: folder "/nonexist" does not exist` + "\n"},
		{"file for folder", []string{"testdata/eval/labels.tsv"}, 1,
			`bounced eval: "testdata/eval/labels.tsv" is not a folder; give the folder of the .eml files` + "\n"},
		{"rate above 1", []string{"-min-reason", "1.5", evalDir}, 2,
			"bounced eval: invalid -min-reason 1.5: want a rate from 0 to 1\n"},
		{"negative rate after folder", []string{evalDir, "-min-status", "-0.1"}, 2,
			"bounced eval: invalid -min-status -0.1: want a rate from 0 to 1\n"},
		{"rate not a number", []string{"-min-hardness", "NaN", evalDir}, 2,
			"bounced eval: invalid -min-hardness NaN: want a rate from 0 to 1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(append([]string{"eval"}, tt.args...), &stdout, &stderr)
			if status != tt.wantStatus {
				t.Errorf("exit status = %d, want %d", status, tt.wantStatus)
			}
			if stderr.String() != tt.wantErr {
				t.Errorf("stderr = %q, want %q", stderr.String(), tt.wantErr)
			}
		})
	}
}
