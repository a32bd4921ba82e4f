// Package database opens PostgreSQL through GORM and pgx, applies the embedded
// SQL migrations, and runs work in transactions.
package database

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// Options tune the connection pool.
type Options struct {
	MaxConns         int
	StatementTimeout time.Duration
	// Tracer, when set, sees every query (the tests count and explain them).
	Tracer pgx.QueryTracer
	// Role, when set, is the role every connection runs as (SET ROLE at
	// connection start): the service's pool runs as AppRole, so that even
	// a query outside any Within is held to row-level security.
	Role string
	// WithoutRowSecurity is for the benchmark only (`make bench` measures
	// row-level security's cost by running the service with and without
	// it): sessions stay as the login role instead of SET LOCAL ROLE
	// AppRole, so a superuser login sees every tenant's rows. Everything
	// else a session does is the same. Never set it in production: the
	// tenants are then kept apart by the services' own filters alone.
	WithoutRowSecurity bool
}

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string, opt Options) (*gorm.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if opt.WithoutRowSecurity && opt.Role != "" {
		return nil, fmt.Errorf("database: a pool runs as %s or without row-level security, not both", opt.Role)
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if opt.StatementTimeout > 0 {
		cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(opt.StatementTimeout.Milliseconds(), 10)
	}
	cfg.RuntimeParams["timezone"] = "UTC"
	if opt.Role != "" {
		cfg.RuntimeParams["role"] = opt.Role
	}
	cfg.Tracer = opt.Tracer
	sqlDB := stdlib.OpenDB(*cfg)
	maxConns := opt.MaxConns
	if maxConns <= 0 {
		maxConns = 10
	}
	sqlDB.SetMaxOpenConns(maxConns)
	sqlDB.SetMaxIdleConns(maxConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)

	db, err := gorm.Open(postgres.New(postgres.Config{Conn: &Pool{db: sqlDB, withoutRowSecurity: opt.WithoutRowSecurity}}), &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	db.ClauseBuilders["LIMIT"] = literalLimit
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return db, nil
}

// literalLimit writes LIMIT and OFFSET as numbers instead of parameters.
// pgx prepares each statement once per connection, and PostgreSQL then
// keeps one plan for every execution only if that plan costs no more than
// the ones made for the actual values. A LIMIT parameter, of unknown size,
// makes the shared plan look like sorting a tenth of the table, so every
// list was planned again at each request: 0.3 ms, more than running it.
// The values are integers, so nothing from a request reaches the SQL text.
func literalLimit(c clause.Clause, b clause.Builder) {
	l, ok := c.Expression.(clause.Limit)
	if !ok {
		c.Build(b)
		return
	}
	if l.Limit != nil && *l.Limit >= 0 {
		b.WriteString("LIMIT " + strconv.Itoa(*l.Limit))
	}
	if l.Offset > 0 {
		if l.Limit != nil && *l.Limit >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString("OFFSET " + strconv.Itoa(l.Offset))
	}
}

// Close closes the pool under db.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// EnsureDatabase creates the database named name on the server behind
// adminURL (a connection to another database there) when it does not exist.
func EnsureDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

// InTx runs fn in a transaction: committed when fn returns nil, rolled back
// otherwise (and on panic).
func InTx(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	return db.WithContext(ctx).Transaction(fn)
}

// Ping checks that the database answers, for /readyz.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// SQL returns the *sql.DB under db.
func SQL(db *gorm.DB) *sql.DB {
	sqlDB, err := db.DB()
	if err != nil {
		panic(err) // only when db was not opened by Open
	}
	return sqlDB
}

// Redact keeps a URL's password out of logs.
func Redact(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return "(unparsable URL)"
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// Scan runs the query q would run and scans its rows by position through
// pgx, on a connection of q's pool: for hot lists, where GORM's reflective
// scanning costs more than the query itself. GORM still builds the SQL.
// fields gives the addresses in a row R that the columns are read into, in
// their order; it is called once, every row is read into the same R, and to
// turns it into the T returned, so a row costs no allocation of its own. n
// is how many rows to expect at most (a page and the one after it), so the
// result is allocated once. Inside a transaction, whose connection
// database/sql does not lend out, GORM finds the rows instead (R is then
// GORM's model).
func Scan[R, T any](ctx context.Context, q *gorm.DB, n int, fields func(r *R) []any, to func(R) T) ([]T, error) {
	out := make([]T, 0, n)
	pool, ok := q.Statement.ConnPool.(*Pool)
	if !ok {
		var rows []R
		if err := q.Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out = append(out, to(r))
		}
		return out, nil
	}
	stmt := q.Session(&gorm.Session{DryRun: true}).Find(&[]R{}).Statement
	if stmt.Error != nil {
		return nil, stmt.Error
	}
	err := pool.rawConn(ctx, func(dc any) error {
		rows, err := dc.(*stdlib.Conn).Conn().Query(ctx, stmt.SQL.String(), stmt.Vars...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var r, zero R
		dest := fields(&r)
		for rows.Next() {
			r = zero // nothing of the row before: slices would share its arrays
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			out = append(out, to(r))
		}
		return rows.Err()
	})
	return out, err
}
