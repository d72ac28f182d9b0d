package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

var (
	marker       = []byte(`"bt":`)
	pingLine     = []byte("\n{}")
	errViolation = errors.New("protocol violation")
)

// client is one subscriber connection: dial, upgrade, connect+subscribe in one frame, then read frames.
type client struct {
	index     int
	connect   string
	channels  []string
	local     string
	replies   int
	remaining int
	dropped   bool
	conn      net.Conn
	lat       []int64
	// positions is set for recoverable clients only (one per channel).
	positions *positions
}

func newClient(index int, connect string, channels []string, recoverable bool, local string) *client {
	c := &client{index: index, connect: connect, channels: channels, local: local, replies: 1 + len(channels)}
	c.remaining = c.replies
	if recoverable {
		c.positions = newPositions(len(channels))
	}
	return c
}

// frame is the connect command and one subscribe per channel (recovering from known positions).
func (c *client) frame() []byte {
	var b bytes.Buffer
	b.WriteString(c.connect)
	for k, ch := range c.channels {
		name, _ := json.Marshal(ch)
		fmt.Fprintf(&b, "\n{\"id\":%d,\"subscribe\":{\"channel\":%s", k+2, name)
		if c.positions != nil {
			b.WriteString(c.positions.subscribeFields(k))
		}
		b.WriteString("}}")
	}
	return b.Bytes()
}

func maskedFrame(opcode byte, payload []byte) []byte {
	n := len(payload)
	var head []byte
	switch {
	case n < 126:
		head = []byte{0x80 | opcode, 0x80 | byte(n)}
	case n < 65536:
		head = []byte{0x80 | opcode, 0x80 | 126, byte(n >> 8), byte(n)}
	default:
		head = make([]byte, 10)
		head[0], head[1] = 0x80|opcode, 0x80|127
		binary.BigEndian.PutUint64(head[2:], uint64(n))
	}
	var mask [4]byte
	_, _ = rand.Read(mask[:])
	out := make([]byte, 0, len(head)+4+n)
	out = append(out, head...)
	out = append(out, mask[:]...)
	for i, b := range payload {
		out = append(out, b^mask[i&3])
	}
	return out
}

var pongFrame = maskedFrame(0x1, []byte("{}"))

func (c *client) dial(p *pool) error {
	d := net.Dialer{Timeout: 30 * time.Second}
	if c.local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(c.local)}
	}
	conn, err := d.Dial("tcp", net.JoinHostPort(p.host, strconv.Itoa(p.port)))
	if err != nil {
		return err
	}
	c.conn = conn
	var key [16]byte
	_, _ = rand.Read(key[:])
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		p.path, p.host, p.port, base64.StdEncoding.EncodeToString(key[:]))
	_, err = conn.Write([]byte(req))
	return err
}

// run upgrades, subscribes and then reads until the connection ends; it reports readiness and the end.
func (c *client) run(p *pool) {
	started := time.Now()
	if err := c.dial(p); err != nil {
		p.setupFailed(c, err.Error())
		return
	}
	r := bufio.NewReaderSize(c.conn, 16384)
	status, err := r.ReadString('\n')
	if err != nil || len(status) < 12 || status[9:12] != "101" {
		p.setupFailed(c, fmt.Sprintf("upgrade refused: %q %v", status, err))
		c.conn.Close()
		return
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			p.setupFailed(c, "upgrade: "+err.Error())
			c.conn.Close()
			return
		}
		if line == "\r\n" {
			break
		}
	}
	if _, err := c.conn.Write(maskedFrame(0x1, c.frame())); err != nil {
		p.setupFailed(c, err.Error())
		c.conn.Close()
		return
	}
	ready := false
	code := 1006
	pending := 0
	for {
		opcode, payload, next, err := readFrame(r, pending)
		pending = next
		if err != nil {
			break
		}
		switch opcode {
		case 0x8:
			code = 1005
			if len(payload) >= 2 {
				code = int(binary.BigEndian.Uint16(payload))
			}
			c.conn.Write(maskedFrame(0x8, payload[:min(2, len(payload))]))
		case 0x9:
			c.conn.Write(maskedFrame(0xA, payload))
		case 0x1, 0x2:
			if !ready {
				done, failure := c.setupMessage(p, payload)
				if failure != "" {
					p.setupFailed(c, failure)
					c.conn.Close()
					return
				}
				if done {
					ready = true
					p.becameReady(c, time.Since(started))
				}
				continue
			}
			if c.positions != nil {
				c.positions.pushed(payload, c.channels)
			}
			c.deliver(p, payload, r.Buffered() == pending)
		}
		if opcode == 0x8 {
			break
		}
	}
	c.conn.Close()
	if ready {
		p.closedAfterReady(c, code)
	} else {
		p.setupFailed(c, "closed during setup: "+strconv.Itoa(code))
	}
}

// setupMessage handles a message before the subscribe replies are in: replies, errors, pings.
func (c *client) setupMessage(p *pool, payload []byte) (done bool, failure string) {
	for _, line := range bytes.Split(payload, []byte("\n")) {
		if bytes.Equal(line, []byte("{}")) {
			c.conn.Write(pongFrame)
			p.pings.Add(1)
			continue
		}
		var reply struct {
			ID        *int             `json:"id"`
			Error     json.RawMessage  `json:"error"`
			Subscribe *subscribeResult `json:"subscribe"`
		}
		if c.positions != nil && bytes.HasPrefix(line, []byte(`{"push"`)) {
			c.positions.pushed(line, c.channels)
			continue
		}
		if json.Unmarshal(line, &reply) != nil || reply.ID == nil {
			continue
		}
		if c.positions != nil && *reply.ID >= 2 {
			counts := c.positions.subscribed(*reply.ID-2, reply.Subscribe)
			p.mu.Lock()
			p.recovery.add(counts)
			p.mu.Unlock()
		}
		if len(reply.Error) > 0 {
			return false, fmt.Sprintf("client %d: %s", c.index, reply.Error)
		}
		c.remaining--
	}
	return c.remaining <= 0, ""
}

// readFrame returns one message (fragments joined); the payload is valid until the next call.
// pending holds the size of a payload returned in place, discarded at the start of the next call.
func readFrame(r *bufio.Reader, pendingIn int) (op byte, data []byte, pending int, err error) {
	if pendingIn > 0 {
		if _, err := r.Discard(pendingIn); err != nil {
			return 0, nil, 0, err
		}
	}
	op, data, pending, err = readFrameInner(r)
	return
}

func readFrameInner(r *bufio.Reader) (byte, []byte, int, error) {
	var whole []byte
	var first byte
	pending := 0
	for {
		var h [2]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return 0, nil, 0, err
		}
		if h[1]&0x80 != 0 {
			return 0, nil, 0, errViolation
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return 0, nil, 0, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return 0, nil, 0, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if n > 64<<20 {
			return 0, nil, 0, errViolation
		}
		fin := h[0]&0x80 != 0
		op := h[0] & 0x0f
		whole1 := op >= 0x8 || (fin && whole == nil && op != 0)
		var payload []byte
		if whole1 && int(n) <= r.Size() {
			// The common case: the payload is viewed in place and consumed when the caller comes back.
			peek, err := r.Peek(int(n))
			if err != nil {
				return 0, nil, 0, err
			}
			pending = int(n)
			return op, peek, pending, nil
		}
		payload = make([]byte, n)
		if _, err := io.ReadFull(r, payload); err != nil {
			return 0, nil, 0, err
		}
		if whole1 {
			return op, payload, 0, nil
		}
		if op != 0 {
			first = op
		}
		whole = append(whole, payload...)
		if fin {
			return first, whole, 0, nil
		}
	}
}

// scanPayload counts timestamps (appending latencies) and reports whether the payload holds a ping line.
func scanPayload(payload []byte, nowUs int64, lat []int64) ([]int64, bool) {
	rest := payload
	for {
		i := bytes.Index(rest, marker)
		if i < 0 {
			break
		}
		rest = rest[i+len(marker):]
		var v int64
		digits := 0
		for digits < len(rest) && rest[digits] >= '0' && rest[digits] <= '9' {
			v = v*10 + int64(rest[digits]-'0')
			digits++
		}
		if digits > 0 {
			lat = append(lat, nowUs-v)
		}
		rest = rest[digits:]
	}
	ping := bytes.Equal(payload, []byte("{}")) || bytes.HasPrefix(payload, []byte("{}\n"))
	if !ping {
		for rest := payload; ; {
			i := bytes.Index(rest, pingLine)
			if i < 0 {
				break
			}
			after := rest[i+3:]
			if len(after) == 0 || after[0] == '\n' {
				ping = true
				break
			}
			rest = rest[i+1:]
		}
	}
	return lat, ping
}
