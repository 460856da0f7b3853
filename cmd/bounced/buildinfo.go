package main

import (
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
)

// version is the release version, set at build time with
// -ldflags "-X main.version=v1.2.3". Empty means the module version Go
// recorded, "(devel)" for a build from a checkout.
var version string

// newBuildInfo returns the bounced_build_info gauge: always 1, with the
// version, the VCS revision ("unknown" when the build did not stamp one)
// and the Go version as labels.
func newBuildInfo() prometheus.Gauge {
	v, revision := version, "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				revision = s.Value
			}
		}
	}

	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "bounced_build_info",
		Help:        "Always 1; the labels give the version, VCS revision and Go version of the running binary.",
		ConstLabels: prometheus.Labels{"version": v, "revision": revision, "goversion": runtime.Version()},
	})
	g.Set(1)
	return g
}
