package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
)

// checkListen checks a listen address: host:port, where host is empty, an
// IP address or a host name, or, when unixOK, the absolute path of a unix
// socket.
func checkListen(key, addr string, unixOK bool) error {
	if addr == "" {
		return fmt.Errorf("%s is empty", key)
	}
	if unixOK && IsUnixSocket(addr) {
		return nil
	}

	want := "want host:port"
	if unixOK {
		want += " or the absolute path of a unix socket"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: invalid listen address %q: %s", key, addr, want)
	}
	if err := checkHost(host); err != nil {
		return fmt.Errorf("%s: invalid listen address %q: %w", key, addr, err)
	}
	if err := checkPort(port); err != nil {
		return fmt.Errorf("%s: invalid listen address %q: %w", key, addr, err)
	}
	return nil
}

// checkHost accepts an empty host (every address), an IP address, with a
// zone for IPv6, or a host name of letters, digits, '-' and '.'.
func checkHost(host string) error {
	if host == "" {
		return nil
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return nil
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return fmt.Errorf("host %q is neither an IP address nor a host name", host)
		}
	}
	return nil
}

// checkPort accepts a port number from 0 (any free port) to 65535. Service
// names such as "smtp" are not accepted, so that the file says the number.
func checkPort(port string) error {
	if port == "" {
		return errors.New("missing port")
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}
