package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Instance is this process among the replicas: it says it is alive every
// few seconds, so that others can tell a request of a process that died
// from one still running.
type Instance struct {
	ID  string
	db  *gorm.DB
	log *slog.Logger
}

// heartbeat is how often an instance says it is alive; one unheard of for
// instanceGone is taken to be dead.
const (
	heartbeat    = 3 * time.Second
	instanceGone = 15 * time.Second
)

// NewInstance registers a new instance of the service.
func NewInstance(ctx context.Context, db *gorm.DB, log *slog.Logger) (*Instance, error) {
	in := &Instance{ID: uuid.NewString(), db: db, log: log}
	return in, db.WithContext(ctx).Exec("INSERT INTO service_instances (id) VALUES (?)", in.ID).Error
}

// Run says the instance is alive until ctx ends, and then that it is gone.
func (in *Instance) Run(ctx context.Context) {
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			gone, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			in.db.WithContext(gone).Exec("DELETE FROM service_instances WHERE id = ? OR seen_at < now() - interval '1 day'", in.ID) //nolint:errcheck
			return
		case <-tick.C:
			if err := in.db.WithContext(ctx).Exec(`INSERT INTO service_instances (id) VALUES (?)
				ON CONFLICT (id) DO UPDATE SET seen_at = now()`, in.ID).Error; err != nil && ctx.Err() == nil {
				in.log.Warn("heartbeat not recorded", "err", err)
			}
		}
	}
}
