package changes_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/changes"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func readAll(t *testing.T, env *apptest.Env, token, cursor, types string) ([]changes.Change, string) {
	t.Helper()
	var out []changes.Change
	for {
		var p changes.Page
		res := env.Do("GET", "/api/v1/changes?limit=50&types="+types+"&since="+cursor, token, nil)
		if res.Code != 200 {
			t.Fatalf("feed: %d %s", res.Code, res.Body)
		}
		res.JSON(t, &p)
		out = append(out, p.Items...)
		cursor = p.NextCursor
		if len(p.Items) == 0 {
			return out, cursor
		}
	}
}

// TestNoChangeIsSkippedOrRepeated has 20 writers create organisations while
// a reader follows the feed; every creation must appear exactly once.
func TestNoChangeIsSkippedOrRepeated(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	_, start := readAll(t, env, editor, "", "organisation")

	const writers, each = 20, 5
	var wg sync.WaitGroup
	var done atomic.Bool
	created := make(chan string, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				var o organisations.Response
				res := env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: fmt.Sprintf("Skrivare %d-%d", w, i),
					Sector: "civil_society", LegalForm: "ovrig"})
				res.JSON(t, &o)
				created <- o.ID
			}
		}()
	}
	seen := map[string]int{}
	var mu sync.Mutex
	cursor := start
	reader := make(chan struct{})
	go func() {
		defer close(reader)
		for {
			finished := done.Load()
			items, next := readAll(t, env, editor, cursor, "organisation")
			cursor = next
			mu.Lock()
			for _, c := range items {
				if c.Action == "created" {
					seen[c.ID]++
				}
			}
			mu.Unlock()
			if finished {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	wg.Wait()
	// Changes show once every older transaction on the server has finished;
	// other test packages share it, so read on until all have come (or 10 s).
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n >= writers*each {
			break
		}
	}
	done.Store(true)
	<-reader
	close(created)
	n := 0
	for id := range created {
		n++
		if seen[id] != 1 {
			t.Errorf("organisation %s appeared %d times", id, seen[id])
		}
	}
	if n != writers*each || len(seen) != n {
		t.Fatalf("created %d, the feed saw %d", n, len(seen))
	}
}

func TestFeedShowsOnlyWhatTheCallerMaySee(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	_, _, client := env.NewClient([]string{auth.ScopePartnershipsRead}, env.Districts["Lundby"])
	_, start := readAll(t, env, client, "", "")
	var lundby, angered partnerships.Response
	env.Do("POST", "/api/v1/partnerships", editor, partnerships.NewRequest{Title: "Lundby", Form: "iop", MunicipalityCode: "1480",
		DistrictIDs: []string{env.Districts["Lundby"]}}).JSON(t, &lundby)
	env.Do("POST", "/api/v1/partnerships", editor, partnerships.NewRequest{Title: "Angered", Form: "iop", MunicipalityCode: "1480",
		DistrictIDs: []string{env.Districts["Angered"]}}).JSON(t, &angered)
	env.Do("PATCH", "/api/v1/partnerships/"+lundby.ID, editor, map[string]string{"purpose": "x"}, apptest.H("If-Match", `"1"`))
	var items []changes.Change
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		more, next := readAll(t, env, client, start, "")
		items, start = append(items, more...), next
		if len(items) >= 2 {
			break
		}
	}
	var got []string
	for _, c := range items {
		if c.Type == "partnership" {
			got = append(got, c.ID+" "+c.Action)
		}
		if c.ID == angered.ID {
			t.Errorf("another district's partnership in the feed: %+v", c)
		}
		if c.Type == "allocation" || c.Type == "indicator" {
			t.Errorf("a type outside the client's scopes: %+v", c)
		}
	}
	want := []string{lundby.ID + " created", lundby.ID + " updated"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("feed %v, want %v", got, want)
	}
	if res := env.Do("GET", "/api/v1/changes?since=nonsense", client, nil); res.Code != 400 {
		t.Fatalf("bad cursor: %d", res.Code)
	}
	if res := env.Do("GET", "/api/v1/changes?types=user", client, nil); res.Code != 400 {
		t.Fatalf("unknown type: %d", res.Code)
	}
}

// TestEventsNamedByOtherKeysDoNotBreakTheFeed: the trail also names
// entities by keys that are no uuid; reading the feed as a district editor
// (whose events are filtered by their entity) must not trip over them.
func TestEventsNamedByOtherKeysDoNotBreakTheFeed(t *testing.T) {
	env := apptest.New(t)
	env.Owner().Exec(`INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id) VALUES
		('system', 'test', 'organisation.update', 'organisation', 'not-a-uuid'), ('system', 'test', 'party.update', 'party', 'x')`)
	_, de := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Lundby"]))
	if res := env.Do("GET", "/api/v1/changes?limit=200", de, nil); res.Code != 200 {
		t.Fatalf("%d %s", res.Code, res.Body)
	}
}
