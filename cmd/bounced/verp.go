package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bounced/bounced/internal/config"
	"github.com/bounced/bounced/internal/verp"
)

// verpKeyEnv names the environment variable of a signing key, so that the
// key stays out of the process list.
const verpKeyEnv = "BOUNCED_VERP_KEY"

// verpCommand implements `bounced verp encode` and `bounced verp decode`.
func verpCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, verpUsage)
		return 2
	}
	switch args[0] {
	case "encode":
		return verpEncode(args[1:], stdout, stderr)
	case "decode":
		return verpDecode(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "bounced verp: unknown command %q\n%s\n", args[0], verpUsage)
		return 2
	}
}

const verpUsage = `Usage:
  bounced verp encode [flags] RECIPIENT...   print the VERP return path of each recipient
  bounced verp decode [flags] ADDRESS...     print each VERP address decoded, as JSON

Keys come from smtp.verp_keys of -config.file, or $` + verpKeyEnv + `; with a
key, encode signs (with the first key) and decode verifies (with every key).`

// verpKeys returns the keys of the configuration file, else of the
// environment; none means plain VERP.
func verpKeys(configFile string) (verp.Keys, error) {
	var secrets []string
	if configFile != "" {
		cfg, err := config.Load(configFile)
		if err != nil {
			return nil, err
		}
		secrets = cfg.SMTP.VERPKeys
	}
	if key := os.Getenv(verpKeyEnv); len(secrets) == 0 && key != "" {
		secrets = []string{key}
	}
	return verp.NewKeys(secrets)
}

func verpEncode(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verp encode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config.file", "", "YAML configuration `file` whose smtp.verp_keys sign")
	prefix := fs.String("prefix", "bounces", "local part `prefix` before the '+'")
	tag := fs.String("tag", "", "message or campaign `tag` after the prefix; no '+', '=' or '@'")
	domain := fs.String("domain", "", "bounce `domain` after the '@' (required)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *domain == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "bounced verp encode: -domain and at least one recipient are required")
		return 2
	}
	keys, err := verpKeys(*configFile)
	if err != nil {
		fmt.Fprintf(stderr, "bounced verp encode: %v\n", err)
		return 2
	}

	status := 0
	for _, rcpt := range fs.Args() {
		addr, err := encodeOne(keys, *prefix, *tag, rcpt, *domain)
		if err != nil {
			fmt.Fprintf(stderr, "bounced verp encode: %v\n", err)
			status = 1
			continue
		}
		fmt.Fprintln(stdout, addr)
	}
	return status
}

func encodeOne(keys verp.Keys, prefix, tag, rcpt, domain string) (string, error) {
	if len(keys) > 0 {
		return keys.Sign(prefix, tag, rcpt, domain)
	}
	addr, ok := verp.Encode(prefix, tag, rcpt, domain)
	if !ok {
		return "", fmt.Errorf("cannot encode recipient %q with prefix %q and tag %q at %q", rcpt, prefix, tag, domain)
	}
	return addr, nil
}

// decodedAddress is an output line of `bounced verp decode`.
type decodedAddress struct {
	Address   string `json:"address"`
	Prefix    string `json:"prefix"`
	Tag       string `json:"tag,omitempty"`
	Recipient string `json:"recipient"`
	Signature string `json:"signature,omitempty"`

	// Verified is set only when keys were given.
	Verified *bool `json:"verified,omitempty"`
}

func verpDecode(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verp decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config.file", "", "YAML configuration `file` whose smtp.verp_keys verify")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	keys, err := verpKeys(*configFile)
	if err != nil {
		fmt.Fprintf(stderr, "bounced verp decode: %v\n", err)
		return 2
	}

	enc := json.NewEncoder(stdout)
	status := 0
	for _, addr := range fs.Args() {
		a, ok := verp.Decode(addr)
		if !ok {
			fmt.Fprintf(stderr, "bounced verp decode: %q is not a VERP address\n", addr)
			status = 1
			continue
		}
		out := decodedAddress{Address: addr, Prefix: a.Prefix, Tag: a.Tag, Recipient: a.Recipient, Signature: a.Signature}
		if len(keys) > 0 {
			verified := keys.Verify(a)
			out.Verified = &verified
		}
		enc.Encode(out)
	}
	return status
}
