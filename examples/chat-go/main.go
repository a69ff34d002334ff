// Reference chat backend (Go / net/http + gorilla/websocket). Protocol: ../PROTOCOL.md.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

type User struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

// Field order differs from the Python backend on purpose (Known differences (c)).
type loginResponse struct {
	User  *User  `json:"user"`
	Token string `json:"token"`
}

type errorBody struct {
	Error string `json:"error"`
}

type queuedMsg struct {
	Type     string `json:"type"`
	Position int    `json:"position"`
}

type readyMsg struct {
	Type string  `json:"type"`
	User *string `json:"user"`
}

type replyMsg struct {
	Type string `json:"type"`
	Text string `json:"text"`
	At   int64  `json:"at"` // epoch ms; Python sends an ISO string (Known differences (a))
}

type wsErrorMsg struct {
	Type  string `json:"type"`
	Error string `json:"error"`
}

// encode matches the Python side byte for byte apart from field order: compact,
// no HTML escaping, no trailing newline.
func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(encode(v))
}

type users struct {
	mu      sync.Mutex
	byName  map[string]*User
	byToken map[string]*User
}

func (u *users) login(name string) (string, *User) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		panic(err)
	}
	token := hex.EncodeToString(raw)
	u.mu.Lock()
	defer u.mu.Unlock()
	user, ok := u.byName[name]
	if !ok {
		sum := sha256.Sum256([]byte(name))
		user = &User{
			ID:        "u_" + hex.EncodeToString(sum[:])[:12],
			Name:      name,
			CreatedAt: time.Now().UTC().Format(time.RFC3339),
		}
		u.byName[name] = user
	}
	u.byToken[token] = user
	return token, user
}

func (u *users) lookup(authorization string) *User {
	scheme, token, _ := strings.Cut(authorization, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "bearer") || token == "" {
		return nil
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.byToken[token]
}

type outMsg struct {
	data   []byte
	close  bool
	code   int
	reason string
}

type client struct {
	conn  *websocket.Conn
	user  *User
	ready bool // guarded by slots.mu

	mu     sync.Mutex
	closed bool
	out    chan outMsg
	done   chan struct{}
}

func newClient(conn *websocket.Conn, user *User) *client {
	c := &client{conn: conn, user: user, out: make(chan outMsg, 256), done: make(chan struct{})}
	go c.writeLoop()
	return c
}

// send never blocks: the slot manager calls it while holding its lock, and one
// stuck peer must not stall the queue for everybody else.
func (c *client) send(m outMsg) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	select {
	case c.out <- m:
	default:
		c.conn.Close()
	}
}

func (c *client) sendJSON(v any) { c.send(outMsg{data: encode(v)}) }

func (c *client) close(code int, reason string) {
	c.send(outMsg{close: true, code: code, reason: reason})
}

func (c *client) finish() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.out)
	}
	c.mu.Unlock()
	<-c.done
}

// A single writer per connection keeps frames in the order they were queued;
// gorilla allows only one concurrent writer anyway.
func (c *client) writeLoop() {
	defer close(c.done)
	closing := false
	for m := range c.out {
		if closing {
			continue
		}
		if m.close {
			closing = true
			writeClose(c.conn, m.code, m.reason)
			continue
		}
		c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if err := c.conn.WriteMessage(websocket.TextMessage, m.data); err != nil {
			closing = true
		}
	}
}

func writeClose(conn *websocket.Conn, code int, reason string) {
	conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason),
		time.Now().Add(2*time.Second))
}

type slots struct {
	mu      sync.Mutex
	slots   int
	active  int
	waiting []*client
}

func (s *slots) join(c *client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active < s.slots {
		s.active++
		s.admit(c)
		return
	}
	s.waiting = append(s.waiting, c)
	c.sendJSON(queuedMsg{Type: "queued", Position: len(s.waiting)})
}

func (s *slots) isReady(c *client) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return c.ready
}

func (s *slots) leave(c *client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ready {
		c.ready = false
		s.active--
		if len(s.waiting) > 0 && s.active < s.slots {
			next := s.waiting[0]
			s.waiting = s.waiting[1:]
			s.active++
			s.admit(next)
			s.renumber(0)
		}
		return
	}
	for i, w := range s.waiting {
		if w == c {
			s.waiting = append(s.waiting[:i], s.waiting[i+1:]...)
			s.renumber(i)
			return
		}
	}
}

func (s *slots) admit(c *client) {
	c.ready = true
	var name *string
	if c.user != nil {
		name = &c.user.Name
	}
	c.sendJSON(readyMsg{Type: "ready", User: name})
}

func (s *slots) renumber(start int) {
	for i := start; i < len(s.waiting); i++ {
		s.waiting[i].sendJSON(queuedMsg{Type: "queued", Position: i + 1})
	}
}

type server struct {
	users   *users
	slots   *slots
	inferMs int
	authMs  int
	// How long a token check may take, counted from the connection's arrival.
	authTimeout time.Duration
	verifyURL   string
	http        *http.Client
	upgrader    websocket.Upgrader
	connSeq     int64

	mu       sync.Mutex
	clients  map[*client]struct{}
	handlers sync.WaitGroup
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, 405, errorBody{"method not allowed"})
		return
	}
	// Unmarshal, not a streaming Decoder: trailing bytes after the object must
	// be a 400 as they are for the Python backend.
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var body map[string]any
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	if err != nil {
		writeJSON(w, 400, errorBody{"bad request"})
		return
	}
	name, ok1 := body["username"].(string)
	password, ok2 := body["password"].(string)
	if !ok1 || !ok2 || name == "" {
		writeJSON(w, 400, errorBody{"bad request"})
		return
	}
	if password != "secret" {
		writeJSON(w, 401, errorBody{"invalid username or password"})
		return
	}
	token, user := s.users.login(name)
	writeJSON(w, 200, loginResponse{User: user, Token: token})
}

func (s *server) me(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeJSON(w, 405, errorBody{"method not allowed"})
		return
	}
	user := s.users.lookup(r.Header.Get("Authorization"))
	if user == nil {
		writeJSON(w, 401, errorBody{"unauthorized"})
		return
	}
	writeJSON(w, 200, user)
}

func (s *server) verify(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Duration(s.authMs) * time.Millisecond)
	s.me(w, r)
}

func (s *server) health(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeJSON(w, 405, errorBody{"method not allowed"})
		return
	}
	writeJSON(w, 200, map[string]bool{"ok": true})
}

// checkToken goes over real HTTP to this process's own verify endpoint, the way
// the original chat server asked its auth service. (nil, nil) means rejected.
// The deadline runs from the connection's arrival; past it the check fails.
func (s *server) checkToken(token string, deadline time.Time) (*User, error) {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.verifyURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode == 401 {
		return nil, nil
	}
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("verify: status %d", res.StatusCode)
	}
	var user User
	if err := json.NewDecoder(res.Body).Decode(&user); err != nil {
		return nil, err
	}
	return &user, nil
}

// closeAndDrain sends a close frame and waits briefly for the peer's reply so
// the client sees a clean close handshake rather than a reset.
func closeAndDrain(conn *websocket.Conn, code int, reason string) {
	writeClose(conn, code, reason)
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			break
		}
	}
	conn.Close()
}

func (s *server) chat(w http.ResponseWriter, r *http.Request) {
	// Every connection has its own goroutine, so the handler starts as the
	// request arrives: its start is the arrival.
	deadline := time.Now().Add(s.authTimeout)
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader already answered with an HTTP error
	}
	s.handlers.Add(1)
	defer s.handlers.Done()
	conn.SetReadLimit(4 << 20) // aiohttp's default max_msg_size
	n := atomic.AddInt64(&s.connSeq, 1)

	var user *User
	if token := r.URL.Query().Get("token"); token != "" {
		user, err = s.checkToken(token, deadline)
		if err != nil {
			log.Printf("ws #%d auth unavailable: %v", n, err)
			closeAndDrain(conn, 1011, "auth unavailable")
			return
		}
		if user == nil {
			log.Printf("ws #%d invalid token", n)
			closeAndDrain(conn, 4001, "invalid token")
			return
		}
	}
	name := "-"
	if user != nil {
		name = user.Name
	}
	log.Printf("ws #%d open user=%s", n, name)

	c := newClient(conn, user)
	s.mu.Lock()
	s.clients[c] = struct{}{}
	s.mu.Unlock()
	s.slots.join(c)

	leaving := false
	for {
		typ, data, err := conn.ReadMessage()
		if err != nil {
			break
		}
		if leaving || typ != websocket.TextMessage {
			continue
		}
		var m map[string]any
		if json.Unmarshal(data, &m) != nil {
			m = nil
		}
		kind, _ := m["type"].(string)
		text, hasText := m["text"].(string)
		if kind == "leave" {
			leaving = true
			c.close(1000, "bye")
			// Wait for the peer's close reply; the slot is freed below either way.
			conn.SetReadDeadline(time.Now().Add(2 * time.Second))
			continue
		}
		switch {
		case kind != "message" || !hasText:
			c.sendJSON(wsErrorMsg{Type: "error", Error: "bad message"})
		case !s.slots.isReady(c):
			c.sendJSON(wsErrorMsg{Type: "error", Error: "not ready"})
		default:
			// Inline on purpose: one message at a time per connection.
			time.Sleep(time.Duration(s.inferMs) * time.Millisecond)
			c.sendJSON(replyMsg{Type: "reply", Text: "echo: " + text, At: time.Now().UnixMilli()})
		}
	}
	s.slots.leave(c)
	s.mu.Lock()
	delete(s.clients, c)
	s.mu.Unlock()
	c.finish()
	conn.Close()
}

func notFound(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, 404, errorBody{"not found"})
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to bind")
	port := flag.Int("port", 8080, "port (0 picks a free one)")
	nslots := flag.Int("slots", 4, "processing slots")
	inferMs := flag.Int("infer-ms", 50, "simulated inference time per message")
	authMs := flag.Int("auth-ms", 20, "simulated latency of /api/auth/verify")
	authTimeoutMs := flag.Int("auth-timeout-ms", 1000, "deadline for a token check, from the connection's arrival")
	flag.Parse()
	if *nslots < 1 {
		fmt.Fprintln(os.Stderr, "--slots must be >= 1")
		os.Exit(2)
	}
	if *authTimeoutMs < 1 {
		fmt.Fprintln(os.Stderr, "--auth-timeout-ms must be >= 1")
		os.Exit(2)
	}
	log.SetFlags(0)

	ln, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		log.Fatal(err)
	}
	realPort := ln.Addr().(*net.TCPAddr).Port

	s := &server{
		users:       &users{byName: map[string]*User{}, byToken: map[string]*User{}},
		slots:       &slots{slots: *nslots},
		inferMs:     *inferMs,
		authMs:      *authMs,
		authTimeout: time.Duration(*authTimeoutMs) * time.Millisecond,
		verifyURL:   fmt.Sprintf("http://127.0.0.1:%d/api/auth/verify", realPort),
		http: &http.Client{
			Timeout:   10 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: 64},
		},
		// Replayed traffic arrives through a proxy with arbitrary Origin headers.
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		clients:  map[*client]struct{}{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/auth/login", s.login)
	mux.HandleFunc("/api/me", s.me)
	mux.HandleFunc("/api/auth/verify", s.verify)
	mux.HandleFunc("/api/health", s.health)
	mux.HandleFunc("/ws/chat", s.chat)
	mux.HandleFunc("/", notFound)
	srv := &http.Server{Handler: mux}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fmt.Printf("listening on %d\n", realPort)
	log.Printf("chat-go slots=%d infer-ms=%d auth-ms=%d auth-timeout-ms=%d", *nslots, *inferMs, *authMs, *authTimeoutMs)

	select {
	case <-ctx.Done():
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Fatal(err)
		}
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(shutdownCtx) // hijacked WebSocket connections are not covered by this
	s.mu.Lock()
	for c := range s.clients {
		c.close(1001, "server shutdown")
	}
	s.mu.Unlock()
	waited := make(chan struct{})
	go func() { s.handlers.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-shutdownCtx.Done():
	}
}
