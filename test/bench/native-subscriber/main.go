// native-subscriber holds many Centrifugo-protocol subscriber connections for the bench harness when one
// Node process cannot read fast enough (saturation scenarios). Standard library only. The harness drives it
// with JSON lines on stdin and reads JSON lines from stdout:
//
//	{"op":"add","clients":[{"frame":"<connect command>","channels":["a"],"recoverable":false,"local":"127.100.1.2"}]}
//	{"op":"connect","from":0,"to":1000,"concurrency":500,"timeoutMs":60000}  -> {"ev":"connected",...}
//	{"op":"stats","reset":true}                                             -> {"ev":"stats",...}
//	{"op":"drop"} / {"op":"close"}                                          -> {"ev":"dropped"|"closed"}
//
// Usage: native-subscriber -host 127.0.0.1 -port 8000 -path /connection/websocket
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"time"
)

type command struct {
	Op      string `json:"op"`
	Clients []struct {
		Frame       string   `json:"frame"`
		Channels    []string `json:"channels"`
		Recoverable bool     `json:"recoverable"`
		Local       string   `json:"local"`
	} `json:"clients"`
	From        int  `json:"from"`
	To          int  `json:"to"`
	Concurrency int  `json:"concurrency"`
	TimeoutMs   int  `json:"timeoutMs"`
	Reset       bool `json:"reset"`
}

func main() {
	host := flag.String("host", "127.0.0.1", "server host")
	port := flag.Int("port", 8000, "server port")
	path := flag.String("path", "/connection/websocket", "WebSocket path")
	flag.Parse()
	p := newPool(*host, *port, *path)
	out := json.NewEncoder(os.Stdout)
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<30)
	for in.Scan() {
		var cmd command
		if err := json.Unmarshal(in.Bytes(), &cmd); err != nil {
			_ = out.Encode(map[string]any{"ev": "error", "message": err.Error()})
			continue
		}
		switch cmd.Op {
		case "add":
			p.mu.Lock()
			for _, c := range cmd.Clients {
				p.clients = append(p.clients, newClient(len(p.clients), c.Frame, c.Channels, c.Recoverable, c.Local))
				p.ready = append(p.ready, false)
				p.failed = append(p.failed, false)
			}
			size := len(p.clients)
			p.mu.Unlock()
			_ = out.Encode(map[string]any{"ev": "added", "size": size})
		case "connect":
			_ = out.Encode(p.connect(cmd.From, cmd.To, cmd.Concurrency, time.Duration(cmd.TimeoutMs)*time.Millisecond))
		case "stats":
			p.mu.Lock()
			closes := map[string]int{}
			for k, v := range p.closes {
				closes[itoa(k)] = v
			}
			stats := map[string]any{
				"ev": "stats", "deliveries": p.deliveries.Load(), "pings": p.pings.Load(), "live": p.live.Load(),
				"latency": p.latency.snapshot(), "cpuSeconds": cpuSeconds(), "closes": closes, "errors": p.errors,
				"recovery": p.recovery,
			}
			if cmd.Reset {
				p.latency.reset()
			}
			p.mu.Unlock()
			_ = out.Encode(stats)
		case "drop", "close":
			p.release(cmd.Op == "drop")
			_ = out.Encode(map[string]any{"ev": cmd.Op + "ped"})
		}
	}
	p.release(false)
}

// connect opens clients [from, to) that are not ready, at most `concurrency` in setup at once.
func (p *pool) connect(from, to, concurrency int, timeout time.Duration) map[string]any {
	started := time.Now()
	done := make(chan int, to-from+1)
	p.mu.Lock()
	p.batchDone = done
	p.setup.reset()
	p.mu.Unlock()
	deadline := time.After(timeout)
	next, inflight, finished := from, 0, 0
	total := to - from
	launch := func() {
		for inflight < concurrency && next < to {
			i := next
			next++
			p.mu.Lock()
			isReady := p.ready[i]
			c := p.clients[i]
			if !isReady {
				p.failed[i] = false
				c.dropped = false
				c.remaining = c.replies
			}
			p.mu.Unlock()
			if isReady {
				finished++
				continue
			}
			inflight++
			go c.run(p)
		}
	}
	launch()
loop:
	for finished < total {
		select {
		case <-done:
			inflight--
			finished++
			launch()
		case <-deadline:
			break loop
		}
	}
	p.mu.Lock()
	p.batchDone = nil
	ready, failed := 0, 0
	for i := from; i < to; i++ {
		if p.ready[i] {
			ready++
		} else if p.failed[i] {
			failed++
		}
	}
	setup := p.setup.snapshot()
	p.mu.Unlock()
	seconds := time.Since(started).Seconds()
	return map[string]any{"ev": "connected", "ready": ready, "failed": failed, "pending": total - ready - failed, "seconds": seconds, "setup": setup}
}

func (p *pool) release(drop bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, c := range p.clients {
		if c.conn != nil && p.ready[i] {
			c.dropped = true
			c.conn.Close()
		}
		p.ready[i] = false
	}
}
