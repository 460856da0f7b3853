package smtpd

import (
	"bytes"
	"os"
	"testing"

	"github.com/emersion/go-smtp"
)

// BenchmarkData_Parallel sends one real bounce per connection from
// parallel clients over loopback into a durable store: the path
// scripts/loadbench.sh drives with smtp-source.
func BenchmarkData_Parallel(b *testing.B) {
	raw, err := os.ReadFile("../../cmd/bounced/testdata/cox-aup.eml")
	if err != nil {
		b.Fatal(err)
	}
	addr, _ := testServer(b, Config{MaxConnectionsPerIP: 1000})
	b.SetBytes(int64(len(raw)))
	b.SetParallelism(10) // 20 clients on 2 CPUs
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c, err := smtp.Dial(addr)
			if err != nil {
				b.Error(err)
				return
			}
			if err := c.SendMail("", []string{"bounces@bounces.example.org"}, bytes.NewReader(raw)); err != nil {
				b.Error(err)
			}
			c.Close()
		}
	})
}
