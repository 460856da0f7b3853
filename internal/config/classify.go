package config

// Classify configures the classifier.
type Classify struct {
	// RulesFile is an operator rules file, in the format of the embedded
	// rules, whose rules come before the embedded ones and can replace or
	// disable them. Empty means the embedded rules alone. The daemon reads
	// it again on SIGHUP.
	RulesFile string `yaml:"rules_file"`
}
