// A CoreDNS with only the plugins the test cluster's Corefile uses: cluster names from the Kubernetes
// API (the `kubernetes` plugin), a cache, health and readiness endpoints, and `template` to answer every
// name outside the cluster with NXDOMAIN, since nothing may resolve or route out of the namespace.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/template"
)

// The directives in CoreDNS's own order (plugin.cfg): a server runs its plugins in this order, not in
// the order of the Corefile.
var directives = []string{"bind", "ready", "health", "errors", "cache", "template", "kubernetes"}

func main() {
	dnsserver.Directives = directives
	coremain.Run()
}
