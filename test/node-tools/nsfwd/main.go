// nsfwd forwards TCP connections from the host's loopback into a network namespace: the test process
// reaches the API server, kubelet health endpoints and pods of the real-pods cluster, whose addresses
// exist only inside the namespace the test run created.
//
//	nsfwd /proc/<pid>/ns/net
//
// Commands arrive one per line on stdin and each gets one reply line on stdout:
//
//	listen <target-host:port>   ->  ok <127.0.0.1:port>   (a new listener; every connection to it is
//	                                                      dialled to target from inside the namespace)
//	close <127.0.0.1:port>      ->  ok
//	anything that fails         ->  err <reason>
//
// End of input (the owner exited, even by SIGKILL) closes every listener and exits, so a forwarder never
// outlives the test process that started it; so does the end of the namespace's process when the path
// is /proc/<pid>/ns/net, so a forwarder never keeps a torn-down namespace alive.
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

const dialTimeout = 10 * time.Second

type forwarder struct {
	nsFd      int
	mu        sync.Mutex
	listeners map[string]net.Listener
}

// dialInNamespace dials from a thread that has joined the namespace. The thread stays locked and is
// thrown away when the goroutine ends (Go discards a locked thread whose goroutine exits), so no other
// goroutine ever runs in the wrong namespace; the socket keeps the namespace it was created in.
func (f *forwarder) dialInNamespace(target string) (net.Conn, error) {
	type result struct {
		conn net.Conn
		err  error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		if err := unix.Setns(f.nsFd, unix.CLONE_NEWNET); err != nil {
			done <- result{nil, fmt.Errorf("setns: %w", err)}
			return
		}
		conn, err := net.DialTimeout("tcp", target, dialTimeout)
		done <- result{conn, err}
	}()
	r := <-done
	return r.conn, r.err
}

func pipe(a, b net.Conn) {
	var wg sync.WaitGroup
	copyHalf := func(dst, src net.Conn) {
		defer wg.Done()
		_, _ = io.Copy(dst, src)
		// Pass the end of one direction on, so request/response protocols see EOF.
		if tcp, ok := dst.(*net.TCPConn); ok {
			_ = tcp.CloseWrite()
		} else {
			_ = dst.Close()
		}
	}
	wg.Add(2)
	go copyHalf(a, b)
	go copyHalf(b, a)
	wg.Wait()
	_ = a.Close()
	_ = b.Close()
}

func (f *forwarder) serve(listener net.Listener, target string) {
	for {
		client, err := listener.Accept()
		if err != nil {
			return
		}
		go func() {
			upstream, err := f.dialInNamespace(target)
			if err != nil {
				fmt.Fprintf(os.Stderr, "nsfwd: dial %s: %v\n", target, err)
				_ = client.Close()
				return
			}
			pipe(client, upstream)
		}()
	}
}

func (f *forwarder) listen(target string) (string, error) {
	if _, _, err := net.SplitHostPort(target); err != nil {
		return "", fmt.Errorf("target %q: %w", target, err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := listener.Addr().String()
	f.mu.Lock()
	f.listeners[addr] = listener
	f.mu.Unlock()
	go f.serve(listener, target)
	return addr, nil
}

func (f *forwarder) close(addr string) error {
	f.mu.Lock()
	listener, ok := f.listeners[addr]
	delete(f.listeners, addr)
	f.mu.Unlock()
	if !ok {
		return fmt.Errorf("no listener %s", addr)
	}
	return listener.Close()
}

func (f *forwarder) handle(line string) string {
	fields := strings.Fields(line)
	if len(fields) != 2 {
		return "err expected `listen <host:port>` or `close <addr>`"
	}
	switch fields[0] {
	case "listen":
		addr, err := f.listen(fields[1])
		if err != nil {
			return "err " + err.Error()
		}
		return "ok " + addr
	case "close":
		if err := f.close(fields[1]); err != nil {
			return "err " + err.Error()
		}
		return "ok"
	default:
		return "err unknown command " + fields[0]
	}
}

// exitWithProcess exits once process pid has ended (a pidfd becomes readable then).
func exitWithProcess(pid int) {
	pidfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nsfwd: process %d: %v\n", pid, err)
		os.Exit(1)
	}
	go func() {
		fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
		for {
			if n, err := unix.Poll(fds, -1); n > 0 || (err != nil && err != unix.EINTR) {
				os.Exit(0)
			}
		}
	}()
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: nsfwd /proc/<pid>/ns/net")
		os.Exit(2)
	}
	nsFd, err := unix.Open(os.Args[1], unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nsfwd: open %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	if fields := strings.Split(os.Args[1], "/"); len(fields) == 5 && fields[1] == "proc" && fields[3] == "ns" {
		if pid, err := strconv.Atoi(fields[2]); err == nil {
			exitWithProcess(pid)
		}
	}
	f := &forwarder{nsFd: nsFd, listeners: map[string]net.Listener{}}
	scanner := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for scanner.Scan() {
		fmt.Fprintln(out, f.handle(scanner.Text()))
		_ = out.Flush()
	}
}
