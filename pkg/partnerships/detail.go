package partnerships

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
)

// FundingSummary is a partnership's money at a glance (amounts in öre of
// Currency; allocations in another currency are converted with the year's rate).
type FundingSummary struct {
	Currency        string            `json:"currency" example:"SEK"`
	AppliedOre      int64             `json:"applied_ore" example:"40000000"`
	GrantedOre      int64             `json:"granted_ore" example:"40000000"`
	DisbursedOre    int64             `json:"disbursed_ore" example:"20000000"`
	BySource        []SourceAmount    `json:"by_source"`
	TotalBudgetOre  *int64            `json:"total_budget_ore,omitempty"`
	InKindOre       int64             `json:"in_kind_ore" example:"1500000"`
	CoFinancingOre  *int64            `json:"co_financing_ore,omitempty"`
	GrantedSharePct *database.Percent `json:"granted_share_percent,omitempty" swaggertype:"number" example:"100"`
} // @name FundingSummary

// SourceAmount is what one funding source granted.
type SourceAmount struct {
	SourceID   string `json:"source_id" format:"uuid"`
	SourceName string `json:"source_name" example:"PRIO – psykisk ohälsa 2012–2016"`
	GrantedOre int64  `json:"granted_ore" example:"30000000"`
} // @name SourceAmount

// IndicatorSummary is one indicator's targets against approved outcomes.
type IndicatorSummary struct {
	IndicatorID       string   `json:"indicator_id" format:"uuid"`
	Name              string   `json:"name" example:"Matchningar mentor–ungdom"`
	Unit              string   `json:"unit" example:"matchningar"`
	ResultLevel       string   `json:"result_level" example:"output"`
	Target            *float64 `json:"target,omitempty" example:"100"`
	Actual            *float64 `json:"actual,omitempty" example:"65"`
	AttainmentPercent *float64 `json:"attainment_percent,omitempty" example:"65"`
	PendingCount      int      `json:"pending_measurements"`
} // @name IndicatorSummary

// Warning is something a person should look at.
type Warning struct {
	Code    string `json:"code" example:"double_funding"`
	Message string `json:"message"`
	// Refs names the objects involved, e.g. allocation ids.
	Refs []string `json:"refs,omitempty"`
} // @name Warning

// StatusChange is one entry of the dated status history.
type StatusChange struct {
	From      string    `json:"from,omitempty" example:"negotiation"`
	To        string    `json:"to" example:"active"`
	Reason    string    `json:"reason,omitempty"`
	On        string    `json:"on" format:"date"`
	At        time.Time `json:"at" format:"date-time"`
	ActorType string    `json:"actor_type"`
	ActorID   string    `json:"actor_id"`
} // @name StatusChange

// LedgerLine sums one party's valued contributions.
type LedgerLine struct {
	PartyID          string            `json:"party_id" format:"uuid"`
	OrganisationName string            `json:"organisation_name"`
	CommittedOre     int64             `json:"committed_valuation_ore"`
	InKindOre        int64             `json:"in_kind_valuation_ore"`
	DeliveredOre     int64             `json:"delivered_valuation_ore"`
	SharePct         *database.Percent `json:"share_percent,omitempty" swaggertype:"number"`
} // @name LedgerLine

// Detail is a partnership with everything that hangs on it.
type Detail struct {
	Response
	Parties       []Party            `json:"parties"`
	Commitments   []Commitment       `json:"commitments"`
	Ledger        []LedgerLine       `json:"ledger"`
	StatusHistory []StatusChange     `json:"status_history"`
	SuccessorIDs  []string           `json:"successor_ids"`
	Funding       *FundingSummary    `json:"funding,omitempty"`
	Indicators    []IndicatorSummary `json:"indicators"`
	Warnings      []Warning          `json:"warnings"`
	AllowedNext   []string           `json:"allowed_transitions"`
} // @name PartnershipDetail

// Get returns a partnership p may see with its parties, ledger, history and
// the summaries of funding and indicators: a fixed number of queries,
// whatever the partnership holds.
func (s *Service) Get(ctx context.Context, p auth.Principal, id string) (Detail, error) {
	pt, err := s.access.Readable(ctx, s.db, p, id)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{AllowedNext: AllowedNext(pt.Status), Indicators: []IndicatorSummary{}, Warnings: []Warning{}}
	if d.Response, err = s.response(ctx, pt); err != nil {
		return d, err
	}
	db := s.db.WithContext(ctx)
	if d.Parties, err = s.parties(ctx, db, id); err != nil {
		return d, err
	}
	var crows []commitmentRow
	if err := db.Where("partnership_id = ? AND archived_at IS NULL", id).Order("created_at, id").Find(&crows).Error; err != nil {
		return d, err
	}
	d.Commitments = make([]Commitment, len(crows))
	for i, r := range crows {
		d.Commitments[i] = toCommitment(r)
	}
	if d.Ledger, err = ledger(ctx, db, id); err != nil {
		return d, err
	}
	if d.StatusHistory, err = history(ctx, db, id); err != nil {
		return d, err
	}
	d.SuccessorIDs = []string{}
	if err := db.Table("partnerships").Where("predecessor_id = ? AND archived_at IS NULL", id).Order("start_date").Pluck("id::text", &d.SuccessorIDs).Error; err != nil {
		return d, err
	}
	if s.summaries != nil {
		ids := []string{id}
		funding, err := s.summaries.FundingSummaries(ctx, ids)
		if err != nil {
			return d, err
		}
		if fs, ok := funding[id]; ok {
			fs.TotalBudgetOre = pt.TotalBudgetOre
			for _, l := range d.Ledger {
				fs.InKindOre = database.AddMinor(fs.InKindOre, l.InKindOre)
			}
			if pt.TotalBudgetOre != nil && *pt.TotalBudgetOre > 0 {
				co := *pt.TotalBudgetOre - fs.GrantedOre
				share := database.SharePercent(fs.GrantedOre, *pt.TotalBudgetOre)
				fs.CoFinancingOre, fs.GrantedSharePct = &co, &share
			}
			d.Funding = &fs
		}
		ind, err := s.summaries.IndicatorSummaries(ctx, ids)
		if err != nil {
			return d, err
		}
		if v, ok := ind[id]; ok {
			d.Indicators = v
		}
		if d.Warnings, err = s.summaries.FundingWarnings(ctx, id); err != nil {
			return d, err
		}
		if d.Warnings == nil {
			d.Warnings = []Warning{}
		}
	}
	return d, nil
}

func (s *Service) parties(ctx context.Context, db *gorm.DB, id string) ([]Party, error) {
	var rows []partyRow
	err := db.WithContext(ctx).Table("partnership_parties pp").
		Select("pp.*, o.name AS organisation_name").
		Joins("JOIN organisations o ON o.id = pp.organisation_id").
		Where("pp.partnership_id = ? AND pp.archived_at IS NULL", id).
		Order("pp.joined_on NULLS FIRST, o.name, pp.id").Find(&rows).Error
	out := make([]Party, len(rows))
	for i, r := range rows {
		out[i] = toParty(r)
	}
	return out, err
}

// ledger sums valued contributions per party, in SQL.
func ledger(ctx context.Context, db *gorm.DB, id string) ([]LedgerLine, error) {
	var rows []LedgerLine
	err := db.WithContext(ctx).Raw(`
		SELECT pp.id AS party_id, o.name AS organisation_name,
		       `+database.Bigint(`coalesce(sum(c.valuation_ore) FILTER (WHERE c.direction = 'committed'), 0)`)+` AS committed_ore,
		       `+database.Bigint(`coalesce(sum(c.valuation_ore) FILTER (WHERE c.direction = 'committed' AND c.kind <> 'money'), 0)`)+` AS in_kind_ore,
		       `+database.Bigint(`coalesce(sum(c.valuation_ore) FILTER (WHERE c.direction = 'delivered'), 0)`)+` AS delivered_ore
		FROM partnership_parties pp
		JOIN organisations o ON o.id = pp.organisation_id
		LEFT JOIN commitments c ON c.party_id = pp.id AND c.archived_at IS NULL
		WHERE pp.partnership_id = ? AND pp.archived_at IS NULL
		GROUP BY pp.id, o.name ORDER BY o.name`, id).Scan(&rows).Error
	var total int64
	for _, r := range rows {
		total = database.AddMinor(total, r.CommittedOre)
	}
	for i := range rows {
		if total > 0 {
			share := database.SharePercent(rows[i].CommittedOre, total)
			rows[i].SharePct = &share
		}
	}
	if rows == nil {
		rows = []LedgerLine{}
	}
	return rows, err
}

func history(ctx context.Context, db *gorm.DB, id string) ([]StatusChange, error) {
	var rows []struct {
		FromStatus *string
		ToStatus   string
		Reason     string
		ChangedOn  time.Time
		ChangedAt  time.Time
		ActorType  string
		ActorID    string
	}
	err := db.WithContext(ctx).Raw(`SELECT from_status, to_status, reason, changed_on, changed_at, actor_type, actor_id
		FROM partnership_status_changes WHERE partnership_id = ? ORDER BY id`, id).Scan(&rows).Error
	out := make([]StatusChange, len(rows))
	for i, r := range rows {
		out[i] = StatusChange{From: deref(r.FromStatus), To: r.ToStatus, Reason: r.Reason, On: r.ChangedOn.Format(time.DateOnly),
			At: r.ChangedAt, ActorType: r.ActorType, ActorID: r.ActorID}
	}
	return out, err
}
