package notifications

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
)

// staffOf is the SQL condition on users (alias u) who look after something
// in the districts given by the SQL expression districts (a uuid[]): admins
// and editors everywhere, district editors where their districts meet it.
func staffOf(districts string) string {
	return `NOT u.disabled AND (u.role IN ('admin', 'editor') OR (u.role = 'district_editor' AND u.district_ids && ` + districts + `))`
}

// ofTenant is the condition that user u belongs to the tenant of the row
// alias: the scan runs across tenants, each reminder stays in its own.
func ofTenant(alias string) string { return ` AND u.tenant_id = ` + alias + `.tenant_id` }

// wants is the condition that user u has not turned kind off.
const wants = `NOT EXISTS (SELECT 1 FROM notification_preferences np WHERE np.user_id = u.id AND np.kind = ? AND NOT np.enabled)`

// reminders are the queries (no literal question marks: they are
// placeholders to gorm) that find what to remind of. Each selects the
// user, the event key (what makes it the same event again: a follow-up
// moved to another day is a new event), subject, body and link. A reminder
// is made only while its cause lasts, so turning a kind back on brings no
// flood of old news beyond what is still true.
var reminders = []struct {
	kind  string
	query string
	days  func(Options) int // the query's one parameter, if it has one
}{
	{"follow_up_due", `
		SELECT u.id, 'follow_up_due:' || f.id || ':' || f.due_on,
		       CASE WHEN f.due_on < current_date THEN 'Uppföljning försenad: ' ELSE 'Uppföljning snart: ' END || p.title,
		       format('Uppföljningen "%s" i %s (%s) ska vara klar %s.', f.description, p.title, p.reference, f.due_on),
		       '/partnerships/' || p.id
		FROM follow_ups f JOIN partnerships p ON p.id = f.partnership_id
		JOIN users u ON ` + staffOf("p.district_ids") + ofTenant("p") + `
		WHERE f.done_on IS NULL AND f.archived_at IS NULL AND p.archived_at IS NULL AND f.due_on <= current_date + ?::int`,
		func(o Options) int { return o.FollowUpDays }},
	{"measurement_pending", `
		SELECT u.id, 'measurement_pending:' || m.id,
		       'Mätvärde väntar på godkännande: ' || i.name,
		       format('Ett mätvärde (%s) för %s till %s i %s (%s) väntar på godkännande.', m.value, m.period_start, m.period_end, p.title, p.reference),
		       '/measurements'
		FROM measurements m JOIN indicators i ON i.id = m.indicator_id JOIN partnerships p ON p.id = i.partnership_id
		JOIN users u ON ` + staffOf("p.district_ids") + ofTenant("p") + `
		WHERE m.status = 'submitted' AND i.archived_at IS NULL AND p.archived_at IS NULL`, nil},
	{"partnership_ending", `
		SELECT u.id, 'partnership_ending:' || p.id || ':' || p.end_date,
		       'Samverkan löper ut ' || p.end_date || ': ' || p.title,
		       format('%s (%s) löper ut %s. Dags att besluta om förlängning, avslut eller slutuppföljning.', p.title, p.reference, p.end_date),
		       '/partnerships/' || p.id
		FROM partnerships p JOIN users u ON ` + staffOf("p.district_ids") + ofTenant("p") + `
		WHERE p.status = 'active' AND p.archived_at IS NULL AND p.end_date BETWEEN current_date AND current_date + ?::int`,
		func(o Options) int { return o.EndingDays }},
	{"activity_overdue", `
		SELECT u.id, 'activity_overdue:' || a.id || ':' || a.due_date,
		       'Försenad aktivitet: ' || a.title,
		       format('Aktiviteten "%s" i %s skulle vara klar %s (status: %s).', a.title, t.title, a.due_date,
		              CASE a.status WHEN 'planned' THEN 'planerad' ELSE 'pågående' END),
		       '/action-plans/' || t.id
		FROM action_plan_activities a JOIN action_plans t ON t.id = a.plan_id
		JOIN users u ON ` + staffOf("ARRAY[t.district_id]") + ofTenant("t") + `
		WHERE a.archived_at IS NULL AND t.archived_at IS NULL AND a.status IN ('planned', 'in_progress') AND a.due_date < current_date
`, nil},
}

// Scan turns what needs attention into notifications for the people who
// look after it and want to hear of it; events already notified are left
// alone. It answers how many notifications it made.
//
// It runs across tenants (the platform's scope); every reminder goes only
// to people of the tenant of what it is about.
func (s *Service) Scan(ctx context.Context) (int, error) {
	made := 0
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		return s.scan(ctx, &made)
	})
	return made, err
}

func (s *Service) scan(ctx context.Context, made *int) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		for _, r := range reminders {
			args := []any{r.kind}
			if r.days != nil {
				args = append(args, r.days(s.opt))
			}
			q := `INSERT INTO notifications (user_id, event_key, subject, body, link, kind, tenant_id)
				SELECT x.*, ?, u.tenant_id FROM (` + r.query + `) x (user_id, event_key, subject, body, link)
				JOIN users u ON u.id = x.user_id WHERE ` + wants + `
				ON CONFLICT (user_id, event_key) DO NOTHING`
			res := tx.Exec(q, append(args, r.kind)...)
			if res.Error != nil {
				return res.Error
			}
			*made += int(res.RowsAffected)
		}
		return nil
	})
}

// Run scans every ScanEvery and sends what is due every DeliverEvery, until
// ctx ends.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.opt.DeliverEvery)
	defer t.Stop()
	var scanned time.Time
	for {
		if time.Since(scanned) >= s.opt.ScanEvery {
			if n, err := s.Scan(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("reminder scan", "err", err)
			} else if n > 0 {
				s.log.Info("reminders", "new", n)
			}
			scanned = time.Now()
		}
		if _, err := s.Deliver(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("reminder e-mail", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
