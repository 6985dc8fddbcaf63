package remote

import "sync"

// Hub fans one engine's change signal out to many readers. An engine's
// Changes channel has one reader; the dashboard, `serve --stdio` and each
// client of the local socket all need every change, so each subscribes
// here instead.
type Hub struct {
	src    <-chan struct{}
	mu     sync.Mutex
	subs   map[chan struct{}]bool
	closed bool
}

// NewHub fans out src; Run starts it.
func NewHub(src <-chan struct{}) *Hub {
	return &Hub{src: src, subs: map[chan struct{}]bool{}}
}

// Run signals every subscriber once per change until src closes, then
// closes every subscriber's channel.
func (h *Hub) Run() {
	for range h.src {
		h.mu.Lock()
		for ch := range h.subs {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
		h.mu.Unlock()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.subs {
		close(ch)
	}
	h.subs = nil
}

// Subscribe is a new change channel (capacity 1, coalesced, closed when the
// engine stops) and the func that ends the subscription.
func (h *Hub) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(ch)
		return ch, func() {}
	}
	h.subs[ch] = true
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.subs[ch] {
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// View is l with a Changes channel of its own from the hub.
func (h *Hub) View(l Local) Local {
	ch, _ := h.Subscribe() // lives as long as the engine
	return hubView{Local: l, ch: ch}
}

type hubView struct {
	Local
	ch <-chan struct{}
}

func (v hubView) Changes() <-chan struct{} { return v.ch }
