package audit

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Verification is what Verify found.
type Verification struct {
	Events  int64
	Streams int64
	// Broken is every link that does not hold, in the order of the events'
	// ids; the first is where the trail was first tampered with.
	Broken []BrokenLink
}

// Intact reports whether every link holds.
func (v Verification) Intact() bool { return len(v.Broken) == 0 }

// BrokenLink is an event whose link to its stream does not hold.
type BrokenLink struct {
	ID     int64
	Stream string
	Seq    int64
	Reason string
}

func (b BrokenLink) String() string {
	return fmt.Sprintf("event %d (%s, number %d in its stream): %s", b.ID, b.Stream, b.Seq, b.Reason)
}

// chained is an event as the chain covers it.
type chained struct {
	ID             int64
	Stream         *string
	Seq            *int64
	OccurredAt     time.Time
	ActorType      string
	ActorID        string
	Action         string
	EntityType     string
	EntityID       string
	Before         string
	After          string
	RequestID      string
	IP             string
	IdempotencyKey string
	PrevHash       []byte
	Hash           []byte
}

// hash is the event's hash over its fields and prev, computed here as the
// database's audit_event_hash does (migration 00012), so that a changed
// database function cannot vouch for a changed event.
func (e chained) hash(stream string, seq int64, prev []byte) []byte {
	text := strings.Join([]string{
		strconv.FormatInt(e.ID, 10), stream, strconv.FormatInt(seq, 10), strconv.FormatInt(e.OccurredAt.UnixMicro(), 10),
		e.ActorType, e.ActorID, e.Action, e.EntityType, e.EntityID, e.Before, e.After, e.RequestID, e.IP, e.IdempotencyKey,
		hex.EncodeToString(prev),
	}, "\x1f")
	sum := sha256.Sum256([]byte(text))
	return sum[:]
}

// Verify walks every stream of the audit trail in order and checks each
// event against its content and against the event before it: an event
// changed after it was written, or one taken out of the middle of its
// stream, breaks the chain there. (The newest events of a stream can be
// taken away without a trace here; compare the count with a copy kept
// elsewhere, such as a backup, to catch that.)
func Verify(ctx context.Context, db *gorm.DB) (Verification, error) {
	var v Verification
	rows, err := db.WithContext(ctx).Raw(`SELECT id, stream, seq, occurred_at, actor_type, actor_id, action, entity_type, entity_id,
		coalesce(before::text, '') AS before, coalesce(after::text, '') AS after, request_id, ip, idempotency_key, prev_hash, hash
		FROM audit_events ORDER BY entity_type || ':' || entity_id, seq NULLS LAST, id`).Rows()
	if err != nil {
		return v, err
	}
	defer rows.Close()
	var stream string
	var seq int64
	var prev []byte
	for rows.Next() {
		var e chained
		if err := db.ScanRows(rows, &e); err != nil {
			return v, err
		}
		v.Events++
		own := e.EntityType + ":" + e.EntityID
		if own != stream || v.Events == 1 {
			stream, seq, prev = own, 0, nil
			v.Streams++
		}
		seq++
		broken := func(reason string) {
			got := int64(0)
			if e.Seq != nil {
				got = *e.Seq
			}
			v.Broken = append(v.Broken, BrokenLink{ID: e.ID, Stream: own, Seq: got, Reason: reason})
		}
		switch {
		case e.Hash == nil || e.Stream == nil || e.Seq == nil:
			broken("it has no place in the chain (written with the chain switched off)")
		case *e.Stream != own:
			broken("its stream " + *e.Stream + " is not its entity")
		case *e.Seq != seq:
			broken(fmt.Sprintf("it is number %d, but follows number %d: events before it are missing", *e.Seq, seq-1))
		case !bytes.Equal(e.PrevHash, prev):
			broken("it does not name the event before it: that event was changed or removed")
		case !bytes.Equal(e.Hash, e.hash(own, *e.Seq, e.PrevHash)):
			broken("its content does not match its hash: it was changed after it was written")
		}
		if e.Seq != nil {
			seq = *e.Seq
		}
		prev = e.Hash
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	slices.SortFunc(v.Broken, func(a, b BrokenLink) int { return cmp.Compare(a.ID, b.ID) })
	return v, nil
}
