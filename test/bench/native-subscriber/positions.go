package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"sync"
)

// recoveryCounts sums what recovering clients saw (the harness's RecoveryCounts).
type recoveryCounts struct {
	Attempts     int `json:"attempts"`
	Recovered    int `json:"recovered"`
	NotRecovered int `json:"notRecovered"`
	Publications int `json:"publications"`
	Gaps         int `json:"gaps"`
}

func (r *recoveryCounts) add(o recoveryCounts) {
	r.Attempts += o.Attempts
	r.Recovered += o.Recovered
	r.NotRecovered += o.NotRecovered
	r.Publications += o.Publications
	r.Gaps += o.Gaps
}

// subscribeResult is the part of a subscribe reply recovery reads.
type subscribeResult struct {
	Recoverable  bool   `json:"recoverable"`
	Epoch        string `json:"epoch"`
	Offset       uint64 `json:"offset"`
	Recovered    bool   `json:"recovered"`
	Publications []struct {
		Offset uint64 `json:"offset"`
	} `json:"publications"`
}

type position struct {
	known  bool
	epoch  string
	offset uint64
}

// positions are a recoverable client's stream positions, as an SDK keeps them: the subscribe reply sets
// one, pushed publications move it, the next subscribe recovers from it. A dropped connection's reader may
// still be finishing while the next connection starts, hence the lock.
type positions struct {
	mu   sync.Mutex
	list []position
}

func newPositions(n int) *positions {
	return &positions{list: make([]position, n)}
}

func (s *positions) subscribeFields(k int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.list[k]
	if !p.known {
		return `,"recoverable":true`
	}
	epoch, _ := json.Marshal(p.epoch)
	return `,"recoverable":true,"recover":true,"epoch":` + string(epoch) + `,"offset":` + strconv.FormatUint(p.offset, 10)
}

// subscribed takes the reply to subscribe k (nil on an error) and says what it meant for recovery.
func (s *positions) subscribed(k int, r *subscribeResult) recoveryCounts {
	var out recoveryCounts
	if k >= len(s.list) {
		return out
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	saved := s.list[k]
	if saved.known {
		out.Attempts = 1
		if r != nil && r.Recovered {
			out.Recovered = 1
			out.Publications = len(r.Publications)
			for n, pub := range r.Publications {
				if pub.Offset != saved.offset+uint64(n)+1 {
					out.Gaps = 1
					break
				}
			}
		} else {
			out.NotRecovered = 1
		}
	}
	if r != nil && r.Recoverable {
		s.list[k] = position{known: true, epoch: r.Epoch, offset: r.Offset}
	}
	return out
}

// pushed moves positions past the publications in one message (pushes joined by newlines).
func (s *positions) pushed(payload []byte, channels []string) {
	for _, line := range bytes.Split(payload, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte(`{"push"`)) {
			continue
		}
		var m struct {
			Push struct {
				Channel string `json:"channel"`
				Pub     *struct {
					Offset uint64 `json:"offset"`
				} `json:"pub"`
			} `json:"push"`
		}
		if json.Unmarshal(line, &m) != nil || m.Push.Pub == nil {
			continue
		}
		for k, ch := range channels {
			if ch == m.Push.Channel {
				s.mu.Lock()
				if m.Push.Pub.Offset > s.list[k].offset {
					s.list[k].offset = m.Push.Pub.Offset
				}
				s.mu.Unlock()
			}
		}
	}
}
