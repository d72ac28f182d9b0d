package main

import (
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// pool holds every client; counters are atomics, latencies go to one histogram under a mutex, taken once
// per read (not per message) by each connection.
type pool struct {
	host string
	port int
	path string

	mu        sync.Mutex
	clients   []*client
	latency   *histogram
	setup     *histogram
	closes    map[int]int
	errors    []string
	ready     []bool
	failed    []bool
	batchDone chan int
	recovery  recoveryCounts

	deliveries atomic.Int64
	pings      atomic.Int64
	live       atomic.Int64
}

func newPool(host string, port int, path string) *pool {
	return &pool{host: host, port: port, path: path, latency: newHistogram(), setup: newHistogram(), closes: map[int]int{}}
}

func (p *pool) noteError(msg string) {
	if len(p.errors) < 20 {
		p.errors = append(p.errors, msg)
	}
}

func (p *pool) setupFailed(c *client, msg string) {
	p.mu.Lock()
	p.failed[c.index] = true
	p.noteError(msg)
	ch := p.batchDone
	p.mu.Unlock()
	if ch != nil {
		ch <- c.index
	}
}

func (p *pool) becameReady(c *client, took time.Duration) {
	p.mu.Lock()
	p.ready[c.index] = true
	p.setup.record(took.Microseconds())
	ch := p.batchDone
	p.mu.Unlock()
	p.live.Add(1)
	if ch != nil {
		ch <- c.index
	}
}

func (p *pool) closedAfterReady(c *client, code int) {
	p.live.Add(-1)
	p.mu.Lock()
	p.ready[c.index] = false
	if !c.dropped {
		p.closes[code]++
		p.noteError("client closed by the server: " + itoa(code))
	}
	p.mu.Unlock()
}

// deliver scans one message; latencies are buffered per client and recorded when its read buffer is drained.
func (c *client) deliver(p *pool, payload []byte, drained bool) {
	now := time.Now().UnixMicro()
	var ping bool
	before := len(c.lat)
	c.lat, ping = scanPayload(payload, now, c.lat)
	p.deliveries.Add(int64(len(c.lat) - before))
	if ping {
		c.conn.Write(pongFrame)
		p.pings.Add(1)
	}
	if drained || len(c.lat) >= 1024 {
		p.mu.Lock()
		for _, v := range c.lat {
			p.latency.record(v)
		}
		p.mu.Unlock()
		c.lat = c.lat[:0]
	}
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
