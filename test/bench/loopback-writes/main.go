// loopback-writes measures what one small write to a loopback TCP socket costs the writing core, with the
// reader on another core: the floor under any server that sends each delivery in its own write (a publication
// to many subscribers who get one message each). Standard library only, no WebSocket framing, no server logic.
//
// Usage (the writer pinned to one core, the reader to the other):
//
//	taskset -c 1 loopback-writes -mode read -port 9100 -conns 10000 &
//	taskset -c 0 loopback-writes -mode write -port 9100 -conns 10000 -size 100 -seconds 10
//
// The writer accepts -conns connections, then writes one -size message to each in turn (one write(2) per
// message, sockets in blocking mode) for -seconds, and prints writes/s and its own user and system CPU per write.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	mode := flag.String("mode", "write", "write (accepts and writes) or read (connects and drains)")
	host := flag.String("host", "127.0.0.1", "loopback address")
	port := flag.Int("port", 9100, "port")
	conns := flag.Int("conns", 10000, "connections")
	size := flag.Int("size", 100, "bytes per write")
	seconds := flag.Float64("seconds", 10, "how long the writer writes")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	addr := fmt.Sprintf("%s:%d", *host, *port)
	var err error
	if *mode == "read" {
		err = read(addr, *conns)
	} else {
		err = write(addr, *conns, *size, time.Duration(*seconds*float64(time.Second)))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loopback-writes:", err)
		os.Exit(1)
	}
}

// read opens the connections and drains them until the writer closes them.
func read(addr string, conns int) error {
	var open atomic.Int64
	done := make(chan struct{}, conns)
	for i := 0; i < conns; i++ {
		c, err := dialRetrying(addr)
		if err != nil {
			return err
		}
		open.Add(1)
		go func() {
			io.Copy(io.Discard, c)
			c.Close()
			done <- struct{}{}
		}()
	}
	for i := 0; i < conns; i++ {
		<-done
	}
	return nil
}

func dialRetrying(addr string) (net.Conn, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil || time.Now().After(deadline) {
			return c, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// write accepts the connections and writes to them round-robin, one message per write(2).
func write(addr string, conns, size int, duration time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	fds := make([]int, 0, conns)
	files := make([]*os.File, 0, conns)
	for len(fds) < conns {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		tcp := c.(*net.TCPConn)
		tcp.SetNoDelay(true)
		f, err := tcp.File() // a blocking duplicate: write(2) straight from this goroutine
		if err != nil {
			return err
		}
		c.Close()
		files = append(files, f)
		fds = append(fds, int(f.Fd()))
	}
	message := make([]byte, size)
	for i := range message {
		message[i] = 'x'
	}
	runtime.LockOSThread()
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_THREAD, &before)
	start := time.Now()
	writes := 0
	for time.Since(start) < duration {
		for _, fd := range fds {
			if _, err := syscall.Write(fd, message); err != nil {
				return fmt.Errorf("write: %w", err)
			}
		}
		writes += len(fds)
	}
	elapsed := time.Since(start).Seconds()
	syscall.Getrusage(syscall.RUSAGE_THREAD, &after)
	user := tv(after.Utime) - tv(before.Utime)
	system := tv(after.Stime) - tv(before.Stime)
	fmt.Printf("connections %d, %d-byte writes: %.0f writes/s on one core; per write %.2f µs (user %.2f, system %.2f); writer core %.0f %% busy\n",
		conns, size, float64(writes)/elapsed, (user+system)/float64(writes)*1e6, user/float64(writes)*1e6, system/float64(writes)*1e6, (user+system)/elapsed*100)
	for _, f := range files {
		f.Close()
	}
	return nil
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
