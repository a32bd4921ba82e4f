package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Scope is whom the database serves in a transaction: one tenant (and, for
// a reporter, the organisation they speak for), or, deliberately and
// named as such, the platform across tenants. PostgreSQL's row-level
// security reads it (migration 00015): a transaction without a scope sees
// no tenant's rows at all.
type Scope struct {
	Tenant       string // a tenant's id
	Organisation string // a reporter's organisation: the partnerships it is a party to, of any tenant
	Platform     bool   // every tenant: sign-in, the platform operator, background work, open data
}

// PlatformScope is the scope of work across tenants.
var PlatformScope = Scope{Platform: true}

// AppRole is the database role every connection of the service runs as:
// it owns nothing and cannot bypass row-level security. The login role
// must be a member of it (or a superuser, in tests).
const AppRole = "samverkan_app"

// Within runs fn with a session for scope in its context: every query
// made with that context runs on one connection, in a transaction that
// has the scope set (SET LOCAL), as AppRole. Statements outside InTx share
// one transaction, committed when the session ends or Flush is called (the
// web layer flushes before the answer is written); each top-level InTx
// commits on its own, so its writes are durable when it returns, as
// before. A statement that fails outside InTx ends the shared transaction,
// so the next starts afresh, as it would have without a session. The
// session ends with fn, and the connection goes back to the pool with
// nothing of the scope left on it. The connection is taken at the first
// query, so a request that never reads the database holds none.
//
// Inside Within, queries must not run concurrently with the same context.
func Within(ctx context.Context, db *gorm.DB, sc Scope, fn func(ctx context.Context) error) (err error) {
	if err := sc.check(); err != nil {
		return err
	}
	p, ok := db.ConnPool.(*Pool)
	if !ok {
		if s, ok := db.Statement.ConnPool.(*Pool); ok {
			p = s
		} else {
			return errors.New("database.Within: db was not opened by database.Open")
		}
	}
	if outer := sessionOf(ctx); outer != nil {
		if outer.scope == sc {
			return fn(ctx)
		}
		return outer.switchTo(ctx, sc, fn)
	}
	s := &session{pool: p, scope: sc}
	defer func() {
		if r := recover(); r != nil {
			s.end(false)
			panic(r)
		}
		if endErr := s.end(true); err == nil {
			err = endErr
		}
	}()
	return fn(context.WithValue(ctx, sessionKey{}, s))
}

// ScopeOf returns the scope of ctx's session.
func ScopeOf(ctx context.Context) (Scope, bool) {
	if s := sessionOf(ctx); s != nil {
		return s.scope, true
	}
	return Scope{}, false
}

// OfTenant is the condition that column, a tenant_id, names the tenant of
// ctx's scope: what row-level security holds every query to, said again
// in the query itself (enforcement twice, ADR 0012), so that a list stays
// within its tenant where the policies do not hold, and PostgreSQL reads
// the tenant's own index. The platform's scope reads every tenant; outside
// a scope, or in one of no tenant, no tenant's row is read.
//
//	q.Where(database.OfTenant(ctx, "t.tenant_id"))
func OfTenant(ctx context.Context, column string) clause.Expr {
	sc, _ := ScopeOf(ctx)
	switch {
	case sc.Platform:
		return clause.Expr{SQL: "TRUE"}
	case sc.Tenant == "":
		return clause.Expr{SQL: "FALSE"}
	}
	return clause.Expr{SQL: column + " = ?", Vars: []any{sc.Tenant}}
}

// OfTenantOrShared is OfTenant for a partnership, or a row below one, as
// the policies read those: also the partnerships shared with the tenant,
// and, for a reporter, those their organisation is a party to.
// partnership is the column naming the partnership (p.id on partnerships).
func OfTenantOrShared(ctx context.Context, column, partnership string) clause.Expr {
	sc, _ := ScopeOf(ctx)
	if sc.Platform {
		return clause.Expr{SQL: "TRUE"}
	}
	sql := "(" + column + " = ? OR " + partnership + " IN (SELECT partnership_id FROM partnership_tenants WHERE tenant_id = ?)"
	vars := []any{nullable(sc.Tenant), nullable(sc.Tenant)}
	if sc.Organisation != "" {
		sql += " OR " + partnership + " IN (SELECT partnership_id FROM partnership_parties WHERE organisation_id = ? AND archived_at IS NULL)"
		vars = append(vars, sc.Organisation)
	}
	return clause.Expr{SQL: sql + ")", Vars: vars}
}

// OfTenantOrBase is OfTenant for a list that tenants extend (code-list
// entries, indicator definitions; column is its tenant_id): the national
// base, of no tenant, and the tenant's own.
func OfTenantOrBase(ctx context.Context, column string) clause.Expr {
	own := OfTenant(ctx, column)
	return clause.Expr{SQL: "(" + column + " IS NULL OR " + own.SQL + ")", Vars: own.Vars}
}

// nullable is id as a query parameter: "" is NULL, which equals nothing.
func nullable(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// Platform reports whether ctx's session works across tenants.
func Platform(ctx context.Context) bool {
	sc, _ := ScopeOf(ctx)
	return sc.Platform
}

func (sc Scope) check() error {
	for _, id := range []string{sc.Tenant, sc.Organisation} {
		if id == "" {
			continue
		}
		if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
			return fmt.Errorf("database scope: %q is not a uuid", id)
		}
	}
	return nil
}

// begin is the statement that opens a session's transaction. The values
// are checked uuids, so nothing else reaches the SQL text, and a statement
// without parameters goes as one simple query: one round trip. Only a
// benchmark's pool (Options.WithoutRowSecurity) leaves out the role.
func (sc Scope) begin(withoutRowSecurity bool) string {
	role := "SET LOCAL ROLE " + AppRole + "; "
	if withoutRowSecurity {
		role = ""
	}
	return "BEGIN ISOLATION LEVEL READ COMMITTED; " + role + sc.settings()
}

// settings sets the scope for the rest of the transaction.
func (sc Scope) settings() string {
	platform := ""
	if sc.Platform {
		platform = "on"
	}
	return "SELECT set_config('samverkan.tenant', '" + sc.Tenant +
		"', true), set_config('samverkan.organisation', '" + sc.Organisation +
		"', true), set_config('samverkan.platform', '" + platform + "', true)"
}

// switchTo runs fn in scope sc on the session's own connection, and then
// sets the session's scope back: a request that must look across tenants
// for a moment (the names of the tenants a partnership is shared with,
// the aid other grantors gave) does not hold a second connection, which
// under load could wait for one forever.
func (s *session) switchTo(ctx context.Context, sc Scope, fn func(ctx context.Context) error) (err error) {
	if err := sc.check(); err != nil {
		return err
	}
	s.mu.Lock()
	outer := s.scope
	s.scope = sc
	live := s.conn != nil && s.open && !s.failed
	s.mu.Unlock()
	if live {
		if err := s.exec(ctx, sc.settings()); err != nil {
			s.mu.Lock()
			s.scope = outer
			s.mu.Unlock()
			return err
		}
	}
	defer func() {
		s.mu.Lock()
		s.scope = outer
		live := s.conn != nil && s.open && !s.failed
		s.mu.Unlock()
		if live {
			if e := s.exec(context.WithoutCancel(ctx), outer.settings()); e != nil && err == nil {
				err = e
			}
		}
	}()
	return fn(ctx)
}

type sessionKey struct{}

func sessionOf(ctx context.Context) *session {
	if ctx == nil {
		return nil
	}
	s, _ := ctx.Value(sessionKey{}).(*session)
	return s
}

// session is one connection held for a Within, with the transaction open
// on it.
type session struct {
	pool   *Pool
	scope  Scope
	mu     sync.Mutex
	conn   *sql.Conn
	open   bool // a transaction is open on conn
	depth  int  // InTx calls running: savepoints below the first
	failed bool // a statement failed in the shared transaction: start another
	bad    bool // conn is in an unknown state: close it, do not reuse it
}

// Flush commits the statements made outside InTx in ctx's session so far,
// so that they are durable before an answer says they were made.
func Flush(ctx context.Context) error {
	s := sessionOf(ctx)
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil || !s.open || s.depth > 0 {
		return nil
	}
	s.open = false
	return s.exec(context.WithoutCancel(ctx), "COMMIT")
}

// use returns the session's connection with a transaction open, opening
// one when none is.
func (s *session) use(ctx context.Context) (*sql.Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.connect(ctx); err != nil {
		return nil, err
	}
	if s.failed && s.depth == 0 {
		s.failed = false
		if err := s.exec(ctx, "ROLLBACK"); err != nil {
			return nil, err
		}
		s.open = false
	}
	if !s.open {
		if err := s.exec(ctx, s.scope.begin(s.pool.withoutRowSecurity)); err != nil {
			return nil, err
		}
		s.open = true
	}
	return s.conn, nil
}

// done notes the outcome of a statement run outside InTx.
func (s *session) done(err error) error {
	if err != nil {
		s.mu.Lock()
		if s.depth == 0 {
			s.failed = true
		}
		s.mu.Unlock()
	}
	return err
}

func (s *session) connect(ctx context.Context) error {
	if s.conn != nil {
		return nil
	}
	c, err := s.pool.db.Conn(ctx)
	if err != nil {
		return err
	}
	s.conn = c
	return nil
}

// exec runs a statement that ends or opens a transaction on the session's
// connection; a failure leaves the connection in a state not to reuse.
func (s *session) exec(ctx context.Context, q string) error {
	if _, err := s.conn.ExecContext(ctx, q); err != nil {
		s.bad = true
		return err
	}
	return nil
}

// beginTx starts InTx's transaction: the first commits the read-only one
// (it wrote nothing) and opens a read-write one; those inside it are
// savepoints.
func (s *session) beginTx(ctx context.Context) (gorm.ConnPool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.connect(ctx); err != nil {
		return nil, err
	}
	if s.depth > 0 {
		name := fmt.Sprintf("sv_%d", s.depth)
		if err := s.exec(ctx, "SAVEPOINT "+name); err != nil {
			return nil, err
		}
		s.depth++
		return &sessionTx{s: s, savepoint: name}, nil
	}
	if s.open {
		// What ran before belongs to no InTx: kept whatever InTx does.
		q := "COMMIT"
		if s.failed {
			q = "ROLLBACK"
		}
		if err := s.exec(ctx, q); err != nil {
			return nil, err
		}
		s.open, s.failed = false, false
	}
	if err := s.exec(ctx, s.scope.begin(s.pool.withoutRowSecurity)); err != nil {
		return nil, err
	}
	s.open, s.depth = true, 1
	return &sessionTx{s: s}, nil
}

// end ends the session: its transaction committed (or rolled back) and the
// connection returned, or closed when its state is not known.
func (s *session) end(commit bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	var err error
	if s.open && !s.bad {
		q := "ROLLBACK"
		if commit && !s.failed && s.depth == 0 {
			q = "COMMIT"
		}
		// The request may be over; the connection must still be cleaned.
		err = s.exec(context.WithoutCancel(context.Background()), q)
		s.open = false
	}
	if s.bad || s.open {
		_ = s.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	s.conn.Close()
	s.conn = nil
	return err
}

// sessionTx is InTx's transaction (or savepoint) inside a session.
type sessionTx struct {
	s         *session
	savepoint string
	done      bool
}

func (t *sessionTx) finish(commit bool) error {
	s := t.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.done {
		return sql.ErrTxDone
	}
	t.done = true
	s.depth--
	ctx := context.Background()
	switch {
	case t.savepoint != "" && commit:
		return s.exec(ctx, "RELEASE SAVEPOINT "+t.savepoint)
	case t.savepoint != "":
		return s.exec(ctx, "ROLLBACK TO SAVEPOINT "+t.savepoint)
	}
	q := "ROLLBACK"
	if commit {
		q = "COMMIT"
	}
	err := s.exec(ctx, q)
	s.open = false
	return err
}

// Commit implements gorm.TxCommitter.
func (t *sessionTx) Commit() error { return t.finish(true) }

// Rollback implements gorm.TxCommitter.
func (t *sessionTx) Rollback() error { return t.finish(false) }

func (t *sessionTx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.s.conn.PrepareContext(ctx, q)
}

func (t *sessionTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.s.conn.ExecContext(ctx, q, args...)
}

func (t *sessionTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.s.conn.QueryContext(ctx, q, args...)
}

func (t *sessionTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.s.conn.QueryRowContext(ctx, q, args...)
}

// Pool is GORM's connection pool: each query runs in its context's session
// when there is one, and on the pool (no scope: no tenant's rows)
// otherwise.
type Pool struct {
	db                 *sql.DB
	withoutRowSecurity bool // a benchmark's pool: sessions do not SET ROLE (Options.WithoutRowSecurity)
}

// GetDBConn implements gorm.GetDBConnector, for db.DB().
func (p *Pool) GetDBConn() (*sql.DB, error) { return p.db, nil }

func (p *Pool) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	if s := sessionOf(ctx); s != nil {
		c, err := s.use(ctx)
		if err != nil {
			return nil, err
		}
		return c.PrepareContext(ctx, q)
	}
	return p.db.PrepareContext(ctx, q)
}

func (p *Pool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if s := sessionOf(ctx); s != nil {
		c, err := s.use(ctx)
		if err != nil {
			return nil, err
		}
		res, err := c.ExecContext(ctx, q, args...)
		return res, s.done(err)
	}
	return p.db.ExecContext(ctx, q, args...)
}

func (p *Pool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := sessionOf(ctx); s != nil {
		c, err := s.use(ctx)
		if err != nil {
			return nil, err
		}
		rows, err := c.QueryContext(ctx, q, args...)
		return rows, s.done(err)
	}
	return p.db.QueryContext(ctx, q, args...)
}

func (p *Pool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if s := sessionOf(ctx); s != nil {
		c, err := s.use(ctx)
		if err != nil {
			return p.db.QueryRowContext(canceled(ctx, err), q, args...)
		}
		return c.QueryRowContext(ctx, q, args...)
	}
	return p.db.QueryRowContext(ctx, q, args...)
}

// BeginTx implements gorm.ConnPoolBeginner: InTx's transaction, inside the
// session when there is one.
func (p *Pool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if s := sessionOf(ctx); s != nil {
		return s.beginTx(ctx)
	}
	return p.db.BeginTx(ctx, opts)
}

// canceled is a context already ended with err, so that a *sql.Row can
// carry an error database/sql gives no other way to make.
func canceled(ctx context.Context, err error) context.Context {
	c, cancel := context.WithCancelCause(ctx)
	cancel(err)
	return c
}

// rawConn runs fn on the pgx connection a query with ctx would use: the
// session's, or one of the pool's.
func (p *Pool) rawConn(ctx context.Context, fn func(dc any) error) error {
	if s := sessionOf(ctx); s != nil {
		c, err := s.use(ctx)
		if err != nil {
			return err
		}
		return s.done(c.Raw(fn))
	}
	c, err := p.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Raw(fn)
}

// Begin starts a session for scope as Within does, for code that cannot
// run inside a callback (tests that call services directly); end ends it.
func Begin(ctx context.Context, db *gorm.DB, sc Scope) (context.Context, func() error, error) {
	if err := sc.check(); err != nil {
		return nil, nil, err
	}
	p, ok := db.ConnPool.(*Pool)
	if !ok {
		return nil, nil, errors.New("database.Begin: db was not opened by database.Open")
	}
	s := &session{pool: p, scope: sc}
	return context.WithValue(ctx, sessionKey{}, s), func() error { return s.end(true) }, nil
}
