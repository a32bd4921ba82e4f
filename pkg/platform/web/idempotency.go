package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// maxIdempotentBody bounds what is read to fingerprint a request; the
// routes' own limits are smaller.
const maxIdempotentBody = 32 << 20

// IdempotencyTTL is how long the first answer to a key is kept.
const IdempotencyTTL = 24 * time.Hour

// A key whose request has been in progress this long is taken to be from a
// process that died, and may be used again; so is one whose process has
// not said it is alive for instanceGone.
const idempotencyStale = 5 * time.Minute

type idempotencyRow struct {
	Principal   string
	Key         string
	RequestHash []byte
	StatusCode  *int
	ContentType string
	Location    string
	Etag        string
	Body        []byte
	CreatedAt   time.Time
	Instance    *string
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

// Committed tells whether a change was committed by the current caller in a
// request with the Idempotency-Key key (the audit trail knows).
type Committed func(c echo.Context, key string) (bool, error)

// Idempotency makes a POST with an Idempotency-Key header safe to repeat: the
// same key and body get the first answer again; the same key with another
// body gets 422; a repeat while the first is still running gets 409. Keys
// belong to one principal (principal returns its key). Answers of 5xx are
// not kept, so a failed request can be retried — unless its change was
// committed all the same (committed says), and a request whose process
// died before its answer was kept (instance tells which processes live) is
// taken over only if its change was not committed: a retry never makes a
// change twice.
func Idempotency(db *gorm.DB, instance *Instance, principal func(echo.Context) string, committed Committed) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			key := c.Request().Header.Get("Idempotency-Key")
			if key == "" {
				return next(c)
			}
			if len(key) > 255 || !printableASCII(key) {
				return problem.BadRequest("invalid_idempotency_key", "Idempotency-Key must be 1–255 printable ASCII characters")
			}
			body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxIdempotentBody+1))
			if err == nil && len(body) > maxIdempotentBody {
				return echo.ErrStatusRequestEntityTooLarge
			}
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return echo.ErrStatusRequestEntityTooLarge
				}
				return problem.BadRequest("unreadable_body", "the request body could not be read")
			}
			c.Request().Body = io.NopCloser(bytes.NewReader(body))
			sum := sha256.Sum256(append([]byte(c.Request().Method+" "+c.Request().URL.Path+"\n"), body...))
			who := principal(c)
			ctx := c.Request().Context()
			q := db.WithContext(ctx)

			claimed, err := claim(q, who, key, sum[:], instance.ID)
			if err != nil {
				return err
			}
			if !claimed {
				var prev idempotencyRow
				if err := q.Where("principal = ? AND key = ?", who, key).Take(&prev).Error; err != nil {
					return err
				}
				switch {
				case !bytes.Equal(prev.RequestHash, sum[:]):
					return problem.Unprocessable("idempotency_key_reused", "this Idempotency-Key was used for another request; use a new key")
				case prev.StatusCode != nil:
					return replay(c, prev)
				}
				done, err := committed(c, key)
				if err != nil {
					return err
				}
				if done {
					return errProcessed
				}
				var abandoned bool
				if err := q.Raw(`SELECT created_at < now() - ?::interval OR NOT EXISTS (SELECT 1 FROM service_instances i
					WHERE i.id = k.instance AND i.seen_at > now() - ?::interval) FROM idempotency_keys k WHERE principal = ? AND key = ?`,
					idempotencyStale.String(), instanceGone.String(), who, key).Scan(&abandoned).Error; err != nil {
					return err
				}
				if !abandoned {
					return problem.Conflict("idempotency_key_in_progress", "a request with this Idempotency-Key is still being processed; retry shortly")
				}
				// The first attempt died before its change was committed: take it over.
				res := q.Model(&idempotencyRow{}).Where("principal = ? AND key = ? AND status_code IS NULL AND created_at = ?", who, key, prev.CreatedAt).
					Updates(map[string]any{"created_at": time.Now(), "instance": instance.ID})
				if res.Error != nil {
					return res.Error
				}
				if res.RowsAffected != 1 {
					return problem.Conflict("idempotency_key_in_progress", "a request with this Idempotency-Key is still being processed; retry shortly")
				}
			}

			rec := &recorder{ResponseWriter: c.Response().Writer}
			c.Response().Writer = rec
			if err := next(c); err != nil {
				c.Error(err) // write the problem now, so it is recorded too
			}
			status := c.Response().Status
			// The answer is the client's now; what follows must not be cut
			// short by the client hanging up or by the request's deadline.
			q = db.WithContext(context.WithoutCancel(ctx))
			if status >= 500 {
				if done, err := committed(c, key); err != nil || done {
					return err // kept as in progress: a retry learns the change was made
				}
				return q.Where("principal = ? AND key = ?", who, key).Delete(&idempotencyRow{}).Error
			}
			h := c.Response().Header()
			return q.Model(&idempotencyRow{}).Where("principal = ? AND key = ?", who, key).Updates(map[string]any{
				"status_code": status, "content_type": h.Get(echo.HeaderContentType), "location": h.Get(echo.HeaderLocation),
				"etag": h.Get("ETag"), "body": rec.buf.Bytes(),
			}).Error
		}
	}
}

// errProcessed answers a repeat of a request whose change was committed but
// whose answer was lost (the process died in between).
var errProcessed = problem.Conflict("idempotency_key_processed",
	"the request with this Idempotency-Key was carried out, but its answer was lost; read the resource again instead of repeating it")

// claim inserts the key as in progress; false when it is already there and
// not expired.
func claim(q *gorm.DB, who, key string, hash []byte, instance string) (bool, error) {
	if err := q.Exec(`DELETE FROM idempotency_keys WHERE principal = ? AND key = ? AND created_at < now() - ?::interval`,
		who, key, IdempotencyTTL.String()).Error; err != nil {
		return false, err
	}
	res := q.Exec(`INSERT INTO idempotency_keys (principal, key, request_hash, instance) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, who, key, hash, instance)
	return res.RowsAffected == 1, res.Error
}

func replay(c echo.Context, prev idempotencyRow) error {
	h := c.Response().Header()
	h.Set("Idempotent-Replayed", "true")
	for name, v := range map[string]string{echo.HeaderLocation: prev.Location, "ETag": prev.Etag} {
		if v != "" {
			h.Set(name, v)
		}
	}
	ct := prev.ContentType
	if ct == "" {
		ct = echo.MIMEApplicationJSON
	}
	return c.Blob(*prev.StatusCode, ct, prev.Body)
}

type recorder struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
