//go:build ignore

// Generate makes the golden files of TestMigrationFrom00014KeepsEveryExport
// (pkg/app/migration_test.go): the data of an installation at schema 00014,
// and every export its administrator could fetch from the code of that
// schema.
//
//	go run ./pkg/app/testdata/from-00014/generate.go [-commit 24e45ce]
//
// It checks the commit out into a temporary git worktree, builds its
// samverkan binary and serves it with the demo (SAMVERKAN_DEMO=1) over a
// scratch database on TEST_DATABASE_URL's server. Through that server's
// API it then adds one row to each table the demo leaves empty (a
// disbursement, a party assessment, documents on a partnership and on an
// evaluation, a meeting action, an API client, notification preferences, a
// webhook, an idempotency key), so that the migration moves those too.
// Signed in as admin@demo.samverkan.se it fetches every GET of the old
// contract (api/openapi.json) that has no path parameter, in each format it
// offers (JSON, every page of a paged list; CSV, each report table; XLSX),
// and the details below the lists (every partnership, organisation,
// allocation, indicator, evaluation, plan, round, meeting, document…).
// Last it stops the server and dumps the data, not the schema
// (pg_dump --data-only), so that the test loads it into a database that
// goose migrated to 00014.
//
// Written: demo-data.sql.gz (the dump) and exports.json.gz (each request
// and its answer; XLSX as its sheets' cell values). Read them with zcat.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"
)

// Exchange is one request and the old code's answer. The test
// (migration_test.go) reads the same shape.
type Exchange struct {
	Path   string `json:"path"` // below /api/v1, with its query
	Accept string `json:"accept,omitempty"`
	// Paged: the answer is every page's items, following next_cursor (the
	// query parameter cursor, or since for the change feed), as one
	// {"items": […]}.
	Paged       bool            `json:"paged,omitempty"`
	Status      int             `json:"status"`
	ContentType string          `json:"content_type"`
	JSON        json.RawMessage `json:"json,omitempty"`
	Text        string          `json:"text,omitempty"`   // CSV
	Binary      []byte          `json:"binary,omitempty"` // a document's content
	Sheets      []Sheet         `json:"sheets,omitempty"` // XLSX
}

// Sheet is one sheet of an XLSX answer: its cells' values, row by row.
type Sheet struct {
	Name string     `json:"name"`
	Rows [][]string `json:"rows"`
}

const (
	xlsx      = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	adminUser = "admin@demo.samverkan.se"
	password  = "samverkan-demo"
)

// details are the GETs below a list: each path template is fetched for
// every id in the answers of the template from (a list, or a template
// fetched before).
var details = []struct {
	from  string
	paths []string
}{
	{"/partnerships", []string{"/partnerships/%s", "/partnerships/%s/parties", "/partnerships/%s/commitments", "/partnerships/%s/indicators",
		"/partnerships/%s/evaluations", "/partnerships/%s/follow-ups", "/partnerships/%s/history", "/partnerships/%s/documents"}},
	{"/partnerships/%s/indicators", []string{"/indicators/%s", "/indicators/%s/measurements"}},
	{"/partnerships/%s/evaluations", []string{"/evaluations/%s", "/evaluations/%s/documents"}},
	{"/partnerships/%s/documents", []string{"/documents/%s", "/documents/%s/content"}},
	{"/evaluations/%s/documents", []string{"/documents/%s", "/documents/%s/content"}},
	{"/organisations", []string{"/organisations/%s", "/organisations/%s/contacts", "/organisations/%s/state-aid", "/reports/organisation/%s"}},
	{"/allocations", []string{"/allocations/%s", "/allocations/%s/disbursements"}},
	{"/action-plans", []string{"/action-plans/%s", "/action-plans/%s/follow-up"}},
	{"/matching/rounds", []string{"/matching/rounds/%s", "/matching/rounds/%s/proposals"}},
	{"/meetings", []string{"/meetings/%s"}},
	{"/funding-sources", []string{"/funding-sources/%s"}},
	{"/indicator-definitions", []string{"/indicator-definitions/%s"}},
	{"/districts", []string{"/districts/%s"}},
	{"/users", []string{"/users/%s"}},
	{"/api-clients", []string{"/api-clients/%s"}},
	{"/webhooks", []string{"/webhooks/%s", "/webhooks/%s/deliveries"}},
	{"/rules", []string{"/rules/%s"}},
}

func main() {
	_, self, _, _ := runtime.Caller(0)
	commit := flag.String("commit", "24e45ce", "the commit whose code and schema (00014) made the data")
	out := flag.String("out", filepath.Dir(self), "where to write the golden files")
	server := flag.String("db", env("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "a PostgreSQL server's maintenance database")
	flag.Parse()
	if err := run(*commit, *out, *server); err != nil {
		log.Fatal(err)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(commit, out, server string) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "samverkan-00014-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	tree := filepath.Join(tmp, "tree")
	if err := command("", "git", "worktree", "add", "--detach", tree, commit); err != nil {
		return err
	}
	defer command("", "git", "worktree", "remove", "--force", tree) //nolint:errcheck
	bin := filepath.Join(tmp, "samverkan")
	log.Printf("building %s", commit)
	if err := command(tree, "go", "build", "-o", bin, "./cmd/samverkan"); err != nil {
		return err
	}
	contract, err := os.ReadFile(filepath.Join(tree, "api", "openapi.json"))
	if err != nil {
		return err
	}

	dbURL, drop, err := scratch(ctx, server)
	if err != nil {
		return err
	}
	defer drop()
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	srv := exec.Command(bin, "serve")
	srv.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "SAMVERKAN_DEMO=1", "SAMVERKAN_ADDR="+addr, "SAMVERKAN_DATA_DIR="+tmp,
		"SAMVERKAN_RATE_LIMIT=0", "SAMVERKAN_LOG_LEVEL=warn", "SAMVERKAN_WEBHOOK_ALLOW_HOSTS=hooks.example.se")
	srv.Stdout, srv.Stderr = os.Stderr, os.Stderr
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Process.Kill() //nolint:errcheck
	c := &client{base: "http://" + addr + "/api/v1"}
	if err := c.ready("http://" + addr + "/readyz"); err != nil {
		return err
	}
	// The first reminder scan and its e-mails run as the server starts.
	time.Sleep(3 * time.Second)
	if err := c.signIn(); err != nil {
		return err
	}
	if err := c.fillEmptyTables(); err != nil {
		return fmt.Errorf("the rows the demo leaves out: %w", err)
	}
	exchanges, err := c.exports(contract)
	if err != nil {
		return err
	}
	if err := srv.Process.Signal(os.Interrupt); err != nil {
		return err
	}
	_ = srv.Wait()

	dump := exec.Command("pg_dump", "--data-only", "--column-inserts", "--no-owner", "--no-privileges",
		"--exclude-table-data=goose_db_version", "--dbname="+dbURL)
	dump.Stderr = os.Stderr
	sql, err := dump.Output()
	if err != nil {
		return fmt.Errorf("pg_dump: %w", err)
	}
	sql = withoutMetaCommands(sql)
	if err := writeGzip(filepath.Join(out, "demo-data.sql.gz"), sql); err != nil {
		return err
	}
	js, err := json.MarshalIndent(exchanges, "", " ")
	if err != nil {
		return err
	}
	log.Printf("%d exchanges, %d bytes of data", len(exchanges), len(sql))
	return writeGzip(filepath.Join(out, "exports.json.gz"), js)
}

// withoutMetaCommands drops psql's meta-commands (\restrict and
// \unrestrict, which pg_dump writes since 15.14 with a random key): the
// test runs the script as SQL, and the file stays the same between runs.
func withoutMetaCommands(sql []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(sql, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte("\\")) {
			out = append(out, line...)
		}
	}
	return out
}

func command(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}

// scratch creates a database to serve the old code over, and drops it.
func scratch(ctx context.Context, server string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("samverkan_golden_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, err := url.Parse(server)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		conn.Close(ctx)
	}, nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func writeGzip(path string, b []byte) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b) //nolint:errcheck
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// client talks to the old server as its administrator.
type client struct {
	base  string
	token string
}

func (c *client) ready(u string) error {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if res, err := http.Get(u); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
	}
	return errors.New("the old server did not get ready within a minute")
}

func (c *client) signIn() error {
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := c.call("POST", "/auth/token", map[string]string{"grant_type": "password", "username": adminUser, "password": password}, &tok); err != nil {
		return err
	}
	c.token = tok.AccessToken
	return nil
}

// call sends a JSON request and decodes a 2xx answer into v.
func (c *client) call(method, path string, body any, v any, headers ...string) error {
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req, v)
}

func (c *client) do(req *http.Request, v any) error {
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, res.StatusCode, b)
	}
	if v == nil {
		return nil
	}
	return json.Unmarshal(b, v)
}

func (c *client) upload(path, filename string, content []byte, title string) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		return err
	}
	fw.Write(content)             //nolint:errcheck
	mw.WriteField("title", title) //nolint:errcheck
	mw.Close()
	req, err := http.NewRequest("POST", c.base+path, &buf)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req, nil)
}

type item struct {
	ID             string `json:"id"`
	Reference      string `json:"reference"`
	OrganisationID string `json:"organisation_id"`
}

type items struct {
	Items []item `json:"items"`
}

// list reads a list's items, as {"items": […]} or […].
func (c *client) list(path string) ([]item, error) {
	var raw json.RawMessage
	if err := c.call("GET", path, nil, &raw); err != nil {
		return nil, err
	}
	return itemsOf(raw), nil
}

func itemsOf(raw json.RawMessage) []item {
	var page items
	if json.Unmarshal(raw, &page) == nil && page.Items != nil {
		return page.Items
	}
	var list []item
	_ = json.Unmarshal(raw, &list)
	return list
}

// png is a 1×1 transparent PNG: a document's content.
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// fillEmptyTables adds, through the old API, a row to each table the demo
// leaves empty, so that the migration has them to move.
func (c *client) fillEmptyTables() error {
	parts, err := c.list("/partnerships?limit=200")
	if err != nil {
		return err
	}
	var evaluated, friskvard string
	for _, p := range parts {
		evs, err := c.list("/partnerships/" + p.ID + "/evaluations")
		if err != nil {
			return err
		}
		if len(evs) > 0 && evaluated == "" {
			evaluated = evs[0].ID
			parties, err := c.list("/partnerships/" + p.ID + "/parties")
			if err != nil {
				return err
			}
			if err := c.call("POST", "/evaluations/"+evaluated+"/assessments", map[string]any{"organisation_id": parties[0].OrganisationID,
				"text": "Samverkan fungerade väl; mer tid till gemensam planering behövs.", "rating": 4}, nil); err != nil {
				return err
			}
			if err := c.upload("/evaluations/"+evaluated+"/documents", "bild.png", png, "Bild från utvärderingen"); err != nil {
				return err
			}
		}
		if p.Reference == "GBG-IOP-2015-001" {
			friskvard = p.ID
		}
	}
	if evaluated == "" || friskvard == "" {
		return errors.New("the demo has no evaluation, or no GBG-IOP-2015-001")
	}
	if err := c.upload("/partnerships/"+friskvard+"/documents", "overenskommelse.png", png, "Överenskommelsen, underskriven"); err != nil {
		return err
	}
	allocations, err := c.list("/allocations")
	if err != nil {
		return err
	}
	if err := c.call("POST", "/allocations/"+allocations[0].ID+"/disbursements", map[string]any{"amount_ore": 2_500_000, "paid_on": "2015-03-31",
		"note": "Första utbetalningen"}, nil, "Idempotency-Key", "golden-00014-disbursement"); err != nil {
		return err
	}
	meetings, err := c.list("/meetings")
	if err != nil {
		return err
	}
	if err := c.call("POST", "/meetings/"+meetings[0].ID+"/actions", map[string]any{"description": "Samordna föreningarnas ungdomsverksamhet"}, nil); err != nil {
		return err
	}
	if err := c.call("POST", "/api-clients", map[string]any{"name": "Ekonomisystemet", "scopes": []string{"partnerships:read", "funding:read"}}, nil); err != nil {
		return err
	}
	if err := c.call("PUT", "/notification-preferences", map[string]bool{"partnership_ending": false}, nil); err != nil {
		return err
	}
	// Last, so that no event after it makes a delivery the dump would race.
	return c.call("POST", "/webhooks", map[string]any{"url": "https://hooks.example.se/samverkan", "events": []string{"partnership.created"}}, nil)
}

// exports fetches every GET of the contract without a path parameter, in
// each of its formats, then the details below the lists.
func (c *client) exports(contract []byte) ([]Exchange, error) {
	var spec struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(contract, &spec); err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(spec.Paths))
	for p := range spec.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []Exchange
	add := func(x Exchange, err error) error {
		if err == nil {
			out = append(out, x)
		}
		return err
	}
	for _, p := range paths {
		op, ok := spec.Paths[p]["get"]
		if !ok || strings.Contains(p, "{") {
			continue
		}
		params := map[string]bool{}
		for _, q := range op.Parameters {
			params[q.Name] = true
		}
		formats := op.Responses["200"].Content
		if _, ok := formats["application/json"]; ok {
			q := ""
			if params["limit"] {
				q = "?limit=200"
			}
			paged := params["cursor"] || p == "/changes"
			x, err := c.fetch(p+q, "", paged)
			if err := add(x, err); err != nil {
				return nil, err
			}
			var report struct {
				Tables map[string]json.RawMessage `json:"tables"`
			}
			_ = json.Unmarshal(x.JSON, &report)
			if _, ok := formats["text/csv"]; ok {
				switch {
				case len(report.Tables) > 0 && params["table"]:
					names := make([]string, 0, len(report.Tables))
					for n := range report.Tables {
						names = append(names, n)
					}
					sort.Strings(names)
					for _, n := range names {
						if err := add(c.fetch(p+"?format=csv&table="+n, "", false)); err != nil {
							return nil, err
						}
					}
				case params["format"]:
					if err := add(c.fetch(p+"?format=csv", "", false)); err != nil {
						return nil, err
					}
				default:
					if err := add(c.fetch(p, "text/csv", false)); err != nil {
						return nil, err
					}
				}
			}
		} else if _, ok := formats["text/csv"]; ok {
			if err := add(c.fetch(p, "", false)); err != nil {
				return nil, err
			}
		}
		if _, ok := formats[xlsx]; ok {
			if err := add(c.fetch(p+"?format=xlsx", "", false)); err != nil {
				return nil, err
			}
		}
	}
	for _, d := range details {
		for _, id := range idsFrom(out, d.from) {
			for _, t := range d.paths {
				if _, ok := spec.Paths[strings.ReplaceAll(t, "%s", "{id}")]["get"]; !ok {
					return nil, fmt.Errorf("the old contract has no GET %s", t)
				}
				if err := add(c.fetch(fmt.Sprintf(t, id), "", false)); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// idsFrom gathers the ids in the JSON answers to the path template from.
func idsFrom(xs []Exchange, from string) []string {
	var ids []string
	for _, x := range xs {
		if x.JSON == nil || !matches(from, strings.SplitN(x.Path, "?", 2)[0]) {
			continue
		}
		for _, it := range itemsOf(x.JSON) {
			if it.ID != "" && !slices.Contains(ids, it.ID) {
				ids = append(ids, it.ID)
			}
		}
	}
	return ids
}

func matches(template, path string) bool {
	t, p := strings.Split(template, "/"), strings.Split(path, "/")
	if len(t) != len(p) {
		return false
	}
	for i := range t {
		if t[i] != "%s" && t[i] != p[i] {
			return false
		}
	}
	return true
}

// fetch makes one exchange; paged follows next_cursor and gathers every
// page's items.
func (c *client) fetch(path, accept string, paged bool) (Exchange, error) {
	x := Exchange{Path: path, Accept: accept, Paged: paged}
	var all []json.RawMessage
	next := path
	for {
		req, err := http.NewRequest("GET", c.base+next, nil)
		if err != nil {
			return x, err
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return x, err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return x, err
		}
		x.Status, x.ContentType = res.StatusCode, res.Header.Get("Content-Type")
		switch media := strings.Split(x.ContentType, ";")[0]; {
		case strings.HasSuffix(media, "json"):
			x.JSON = body
		case media == "text/csv":
			x.Text = string(body)
		case media == xlsx:
			sheets, err := ReadSheets(body)
			if err != nil {
				return x, fmt.Errorf("%s: %w", path, err)
			}
			x.Sheets = sheets
		default:
			x.Binary = body
		}
		if !paged || x.Status != 200 {
			return x, nil
		}
		var page struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor string            `json:"next_cursor"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return x, fmt.Errorf("%s: %w", path, err)
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" || len(page.Items) < 200 {
			if all == nil {
				all = []json.RawMessage{}
			}
			x.JSON, _ = json.Marshal(map[string]any{"items": all})
			return x, nil
		}
		param := "cursor"
		if strings.HasPrefix(path, "/changes") {
			param = "since"
		}
		next = path + "&" + param + "=" + url.QueryEscape(page.NextCursor)
	}
}

// ReadSheets reads an XLSX file's cell values, sheet by sheet.
func ReadSheets(b []byte) ([]Sheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Sheet
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, err
		}
		out = append(out, Sheet{Name: name, Rows: rows})
	}
	return out, nil
}
