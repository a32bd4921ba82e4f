package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

// replica is one `samverkan serve` process of the test.
type replica struct{ *server }

func (r replica) do(t *testing.T, method, path, token string, body any, header ...string) (int, []byte) {
	t.Helper()
	a := r.send(method, path, token, body, header...)
	if a.err != nil {
		t.Fatal(a.err)
	}
	return a.status, a.body
}

func (r replica) token(t *testing.T, form url.Values) (int, map[string]any) {
	t.Helper()
	res, err := http.PostForm(r.base+"/api/v1/auth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out) //nolint:errcheck
	return res.StatusCode, out
}

// Two `samverkan serve` processes on one database behave as one: state
// that must hold across requests lives in PostgreSQL, so it does not matter
// which replica a load balancer picks.
func TestTwoReplicasBehaveAsOne(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts two servers")
	}
	h := newHarness(t)
	dbURL := dbtest.FreshURL(t)
	const admin, password = harnessAdmin, harnessPassword
	start := func(name string) replica {
		return replica{h.serve(name, dbURL, true, "SAMVERKAN_WEBHOOK_ALLOW_HOSTS=127.0.0.1", "SAMVERKAN_SIGNIN_MAX_FAILURES_ACCOUNT=5")}
	}
	a := start("a")
	b := start("b")

	// A token signed by one replica is accepted by the other; a refresh token
	// rotates across them, and reusing an old one revokes the family on both.
	code, tok := a.token(t, url.Values{"grant_type": {"password"}, "username": {admin}, "password": {password}})
	if code != 200 {
		t.Fatalf("sign in on A: %d %v", code, tok)
	}
	access, r1 := tok["access_token"].(string), tok["refresh_token"].(string)
	if code, body := b.do(t, "GET", "/api/v1/me", access, nil); code != 200 {
		t.Fatalf("A's token on B: %d %s", code, body)
	}
	code, tok = b.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {r1}})
	if code != 200 {
		t.Fatalf("refresh on B: %d %v", code, tok)
	}
	r2 := tok["refresh_token"].(string)
	// (OAuth 2.0 answers a bad grant with 400 invalid_grant.)
	if code, _ := a.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {r1}}); code != 400 {
		t.Errorf("reusing the old refresh token on A: %d, want 400", code)
	}
	if code, _ := a.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {r2}}); code != 400 {
		t.Errorf("the rotated token after reuse: %d, want 400 (family revoked)", code)
	}

	// Failed sign-ins count on both replicas together.
	for i := 0; i < 5; i++ {
		r := []replica{a, b}[i%2]
		if code, _ := r.token(t, url.Values{"grant_type": {"password"}, "username": {admin}, "password": {"wrong"}}); code != 400 {
			t.Fatalf("failure %d: %d", i+1, code)
		}
	}
	if code, _ := a.token(t, url.Values{"grant_type": {"password"}, "username": {admin}, "password": {"wrong"}}); code != 429 {
		t.Errorf("the 6th failure across replicas: %d, want 429", code)
	}

	// Webhook deliveries are claimed once, whichever replica's worker is first.
	var mu sync.Mutex
	seen := map[string]int{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct{ ID, Event string }
		json.NewDecoder(r.Body).Decode(&p) //nolint:errcheck
		mu.Lock()
		seen[p.Event+" "+p.ID]++
		mu.Unlock()
	}))
	defer hook.Close()
	// The admin's access token still works: the lock stops sign-ins, not tokens.
	if code, body := a.do(t, "POST", "/api/v1/webhooks", access, map[string]any{"url": hook.URL + "/hook", "events": []string{"organisation.*"}, "secret": "replica-secret-0123456789"}); code != 201 {
		t.Fatalf("webhook: %d %s", code, body)
	}

	// One Idempotency-Key sent to both replicas at once creates one organisation.
	var wg sync.WaitGroup
	ids := make([]string, 2)
	codes := make([]int, 2)
	for i, r := range []replica{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body := r.do(t, "POST", "/api/v1/organisations", access, map[string]string{"name": "Samma förening", "sector": "civil_society", "legal_form": "ideell_forening"},
				"Idempotency-Key", "replica-key-1")
			var o struct{ ID string }
			json.Unmarshal(body, &o) //nolint:errcheck
			codes[i], ids[i] = code, o.ID
		}()
	}
	wg.Wait()
	created := 0
	for i := range codes {
		switch {
		case codes[i] == 201:
			created++
		case codes[i] != 409:
			t.Errorf("replica %d answered %d", i, codes[i])
		}
	}
	if created == 0 || (created == 2 && ids[0] != ids[1]) {
		t.Errorf("one key, two replicas: %v %v", codes, ids)
	}
	_, list := b.do(t, "GET", "/api/v1/organisations?q="+url.QueryEscape("Samma förening"), access, nil)
	if n := strings.Count(string(list), `"name":"Samma förening"`); n != 1 {
		t.Errorf("organisations named by the one key: %d", n)
	}

	// A client's rate limit is one limit, whichever replica it calls.
	code, body := a.do(t, "POST", "/api/v1/api-clients", access, map[string]any{"name": "Begränsad", "scopes": []string{"reports:read", "partnerships:read"},
		"rate_limit_per_minute": 30})
	var cl struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	json.Unmarshal(body, &cl) //nolint:errcheck
	if code != 201 {
		t.Fatalf("client: %d %s", code, body)
	}
	_, tok = a.token(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {cl.ClientID}, "client_secret": {cl.ClientSecret}})
	limited := tok["access_token"].(string)
	// Limits count in windows of a minute: begin where the three seconds
	// of requests cannot straddle two (which lets up to twice through).
	if left := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)); left < 5*time.Second {
		time.Sleep(left + 100*time.Millisecond)
	}
	allowed := 0
	for i := 0; i < 60; i++ {
		if code, _ := []replica{a, b}[i%2].do(t, "GET", "/api/v1/organisations?limit=1", limited, nil); code == 200 {
			allowed++
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Replicas share their counts four times a second: at twenty requests a
	// second, what one lets through may be unknown to the other for a
	// quarter of a second, about three requests each way.
	if allowed < 30 || allowed > 36 {
		t.Errorf("a limit of 30 a minute let %d of 60 through across two replicas", allowed)
	}
	t.Logf("a client limited to 30 a minute, alternating between replicas: %d of 60 let through", allowed)

	// Writes on one replica appear in the change feed read from the other.
	for i := 0; i < 6; i++ {
		r := []replica{a, b}[i%2]
		if code, body := r.do(t, "POST", "/api/v1/organisations", access, map[string]string{"name": fmt.Sprintf("Förening %d", i), "sector": "civil_society", "legal_form": "ideell_forening"}); code != 201 {
			t.Fatalf("create on %d: %d %s", i%2, code, body)
		}
	}
	// The feed shows a transaction once none older is still running on the
	// server (other tests' databases included), so it is polled.
	var feed []byte
	for wait := time.Now().Add(60 * time.Second); time.Now().Before(wait); time.Sleep(200 * time.Millisecond) {
		_, feed = b.do(t, "GET", "/api/v1/changes?types=organisation&limit=200", access, nil)
		if strings.Count(string(feed), `"action":"created"`) >= 7 {
			break
		}
	}
	if n := strings.Count(string(feed), `"action":"created"`); n < 7 {
		t.Errorf("the feed on B shows %d creations, want 7\n%s", n, feed)
	}

	// Both replicas' workers run every 2 s; wait for the 7 deliveries, then
	// a little longer for a duplicate to show.
	deadline := time.Now().Add(60 * time.Second)
	for {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n >= 7 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(3 * time.Second)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) < 7 {
		t.Errorf("deliveries: %d, want 7", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s delivered %d times", k, n)
		}
	}
}
