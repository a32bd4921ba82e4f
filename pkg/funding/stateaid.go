package funding

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// StateAid is an organisation's state aid measured against each ceiling in
// force on a date.
type StateAid struct {
	OrganisationID string    `json:"organisation_id" format:"uuid"`
	OrgNumber      string    `json:"org_number,omitempty"`
	AsOf           string    `json:"as_of" format:"date"`
	Ceilings       []Ceiling `json:"ceilings"`
} // @name StateAid

// Ceiling is one rule's sum and headroom. Amounts are EUR cents.
type Ceiling struct {
	RuleID        string           `json:"rule_id" format:"uuid"`
	Code          string           `json:"code" example:"sgei_de_minimis"`
	Name          string           `json:"name" example:"SGEI de minimis"`
	CeilingCents  int64            `json:"ceiling_eur_cents" example:"75000000"`
	WindowFrom    string           `json:"window_from" format:"date"`
	WindowTo      string           `json:"window_to" format:"date"`
	SumCents      int64            `json:"sum_eur_cents" example:"4276524"`
	HeadroomCents int64            `json:"headroom_eur_cents" example:"70723476"`
	UsedPercent   database.Percent `json:"used_percent" swaggertype:"number" example:"5.7"`
	Status        string           `json:"status" enums:"ok,near,over"`
	MissingRates  []int            `json:"missing_rates,omitempty"`
	Allocations   []CountedGrant   `json:"allocations"`
	// OtherGrants are the aid other municipalities and regions granted,
	// counted in the sum.
	OtherGrants []OtherGrant `json:"other_grants"`
} // @name StateAidCeiling

// CountedGrant is an allocation counted toward a ceiling.
type CountedGrant struct {
	AllocationID   string `json:"allocation_id" format:"uuid"`
	PartnershipID  string `json:"partnership_id" format:"uuid"`
	OrganisationID string `json:"organisation_id" format:"uuid"`
	DecisionDate   string `json:"decision_date" format:"date"`
	GrantedMinor   int64  `json:"granted_minor" example:"30000000"`
	Currency       string `json:"currency" example:"SEK"`
	EURCents       int64  `json:"eur_cents" example:"3207355"`
} // @name CountedGrant

// OtherGrant is aid that another municipality or region granted the
// organisation, on a partnership the caller does not see. Aid decisions are
// public records; of another tenant's only the grantor, the decision date
// and the amount are shown.
type OtherGrant struct {
	Grantor      string `json:"grantor" example:"Region Skåne"`
	DecisionDate string `json:"decision_date" format:"date"`
	GrantedMinor int64  `json:"granted_minor" example:"30000000"`
	Currency     string `json:"currency" example:"SEK"`
	EURCents     int64  `json:"eur_cents" example:"3207355"`
} // @name OtherGrant

// window is the period a rule sums over, ending on asOf.
func window(r ruleRow, asOf time.Time) (time.Time, time.Time) {
	switch r.WindowKind {
	case "fiscal_years":
		return time.Date(asOf.Year()-(r.WindowYears-1), 1, 1, 0, 0, 0, 0, time.UTC), asOf
	case "rolling":
		return asOf.AddDate(-r.WindowYears, 0, 1), asOf
	}
	return asOf, asOf
}

// grantAmounts are a granted allocation's (alias a) year, whether that
// year has a rate, and its amount in EUR cents at the rate of the decision
// year (else the nearest earlier, else later, year).
var grantAmounts = `extract(year FROM a.decision_date)::int AS year,
	EXISTS (SELECT 1 FROM exchange_rates x WHERE x.currency = 'EUR' AND x.year = extract(year FROM a.decision_date)) AS exact_rate,
	CASE WHEN a.currency = 'EUR' THEN a.granted_ore
	     ELSE ` + database.Bigint(`a.granted_ore / nullif((SELECT x.sek_per_unit FROM exchange_rates x WHERE x.currency = 'EUR'
	       ORDER BY (x.year > extract(year FROM a.decision_date)), abs(x.year - extract(year FROM a.decision_date)) LIMIT 1), 0)`) + `
	END AS eur_cents`

// aidGroup is the organisation and every organisation with the same
// organisationsnummer: one undertaking, whichever record a grantor used.
const aidGroup = `WITH grp AS (
	SELECT id FROM organisations
	WHERE id = ? OR (org_number IS NOT NULL AND org_number = (SELECT org_number FROM organisations WHERE id = ?)))`

// grantLine is a counted grant as read, before it is shown.
type grantLine struct {
	CountedGrant
	Grantor     string
	DecisionDay time.Time
	ExactRate   bool
	Year        int
}

// StateAid sums the granted compensation to an organisation — and to every
// organisation with the same organisationsnummer, whichever administration,
// district, municipality or region granted it — per ceiling in force on
// asOf, counted from decision dates and converted to EUR with each decision
// year's rate. De minimis ceilings count the aid of every grantor: what
// the caller's scope does not show is read across tenants (other grants).
func (s *Service) StateAid(ctx context.Context, orgID string, asOf time.Time) (StateAid, error) {
	return s.stateAid(ctx, s.db, orgID, asOf)
}

// stateAid is StateAid read in tx, which sees the caller's own grants as
// they are in a write not yet committed.
func (s *Service) stateAid(ctx context.Context, tx *gorm.DB, orgID string, asOf time.Time) (StateAid, error) {
	out := StateAid{OrganisationID: orgID, AsOf: asOf.Format(time.DateOnly), Ceilings: []Ceiling{}}
	db := tx.WithContext(ctx)
	if err := db.Raw("SELECT coalesce(org_number, '') FROM organisations WHERE id = ?", orgID).Scan(&out.OrgNumber).Error; err != nil {
		return out, err
	}
	var rules []ruleRow
	if err := db.Where("code IN ('sgei_de_minimis', 'general_de_minimis') AND effective_from <= ? AND (effective_to IS NULL OR effective_to >= ?)", asOf, asOf).
		Order("code").Find(&rules).Error; err != nil {
		return out, err
	}
	others, err := s.otherGrants(ctx, orgID, rules, asOf)
	if err != nil {
		return out, err
	}
	own := database.OfTenantOrShared(ctx, "a.tenant_id", "a.partnership_id") // the grants the tenant sees, as row-level security has it
	for _, r := range rules {
		from, to := window(r, asOf)
		var grants []grantLine
		err := db.Raw(aidGroup+`
			SELECT a.id AS allocation_id, a.partnership_id, a.recipient_organisation_id AS organisation_id,
			       a.decision_date AS decision_day, a.granted_ore AS granted_minor, a.currency, `+grantAmounts+`
			FROM allocations a
			WHERE a.recipient_organisation_id IN (SELECT id FROM grp) AND a.status = 'granted' AND a.archived_at IS NULL
			  AND a.state_aid = ? AND a.decision_date BETWEEN ? AND ? AND `+own.SQL+`
			ORDER BY a.decision_date, a.id`, append([]any{orgID, orgID, r.Code, from, to}, own.Vars...)...).Scan(&grants).Error
		if err != nil {
			return out, err
		}
		out.Ceilings = append(out.Ceilings, ceiling(r, from, to, grants, others[r.Code]))
	}
	return out, nil
}

// ceiling sums a rule's grants, the caller's and other grantors', against
// its ceiling.
func ceiling(r ruleRow, from, to time.Time, own, others []grantLine) Ceiling {
	c := Ceiling{RuleID: r.ID, Code: r.Code, Name: r.Name, CeilingCents: r.AmountCents, WindowFrom: from.Format(time.DateOnly),
		WindowTo: to.Format(time.DateOnly), Allocations: []CountedGrant{}, OtherGrants: []OtherGrant{}}
	seen := map[int]bool{}
	count := func(g grantLine) {
		if g.Currency != "EUR" && !g.ExactRate && !seen[g.Year] {
			c.MissingRates, seen[g.Year] = append(c.MissingRates, g.Year), true
		}
		c.SumCents = database.AddMinor(c.SumCents, g.EURCents)
	}
	for _, g := range own {
		g.DecisionDate = g.DecisionDay.Format(time.DateOnly)
		count(g)
		c.Allocations = append(c.Allocations, g.CountedGrant)
	}
	for _, g := range others {
		if g.DecisionDay.Before(from) || g.DecisionDay.After(to) {
			continue
		}
		count(g)
		c.OtherGrants = append(c.OtherGrants, OtherGrant{Grantor: g.Grantor, DecisionDate: g.DecisionDay.Format(time.DateOnly),
			GrantedMinor: g.GrantedMinor, Currency: g.Currency, EURCents: g.EURCents})
	}
	slices.Sort(c.MissingRates)
	c.HeadroomCents = c.CeilingCents - c.SumCents
	c.UsedPercent = database.SharePercent(c.SumCents, c.CeilingCents)
	switch {
	case c.SumCents > c.CeilingCents:
		c.Status = "over"
	case c.SumCents >= (c.CeilingCents*int64(r.WarnAtPercent)+99)/100: // sum×100 ≥ ceiling×warn, without overflow
		c.Status = "near"
	default:
		c.Status = "ok"
	}
	return c
}

// otherGrants reads, by rule code, the granted aid to the organisation's
// undertaking that the caller's scope does not show: on partnerships of
// other tenants not shared with the caller's. It is a deliberate read
// across tenants (the platform's scope), of public records, selecting only
// the grantor's name, the decision date and the amount. The caller's own
// scope reads the rest, so each grant counts once.
func (s *Service) otherGrants(ctx context.Context, orgID string, rules []ruleRow, asOf time.Time) (map[string][]grantLine, error) {
	out := map[string][]grantLine{}
	sc, _ := database.ScopeOf(ctx)
	if sc.Platform || len(rules) == 0 {
		return out, nil // the caller's scope already sees every tenant's
	}
	var mine any // no tenant: none of the grants is the caller's to see
	if sc.Tenant != "" {
		mine = sc.Tenant
	}
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		for _, r := range rules {
			from, to := window(r, asOf)
			var lines []grantLine
			err := s.db.WithContext(ctx).Raw(aidGroup+`
				SELECT t.name AS grantor, a.decision_date AS decision_day, a.granted_ore AS granted_minor, a.currency, `+grantAmounts+`
				FROM allocations a JOIN tenants t ON t.id = coalesce(a.recorded_by, a.tenant_id)
				WHERE a.recipient_organisation_id IN (SELECT id FROM grp) AND a.status = 'granted' AND a.archived_at IS NULL
				  AND a.state_aid = ? AND a.decision_date BETWEEN ? AND ?
				  AND a.tenant_id IS DISTINCT FROM ?::uuid
				  AND a.partnership_id NOT IN (SELECT partnership_id FROM partnership_tenants WHERE tenant_id = ?::uuid)
				ORDER BY a.decision_date, t.name`, orgID, orgID, r.Code, from, to, mine, mine).Scan(&lines).Error
			if err != nil {
				return err
			}
			out[r.Code] = lines
		}
		return nil
	})
	return out, err
}

// ceilingWarnings tells, after a write, whether the allocation's recipient
// nears or passes its state-aid ceiling, counting the aid of every grantor;
// a blocking rule makes it a 422.
func (s *Service) ceilingWarnings(ctx context.Context, tx *gorm.DB, a allocationRow) ([]Warning, error) {
	if a.Status != "granted" || a.StateAid == "none" {
		return nil, nil
	}
	if a.DecisionDate == nil {
		return []Warning{{Code: "missing_decision_date", Refs: []string{a.ID},
			Message: "state aid counts from the decision date; without one this grant is left out of the ceilings"}}, nil
	}
	sa, err := s.stateAid(ctx, tx, a.RecipientOrganisationID, *a.DecisionDate)
	if err != nil {
		return nil, err
	}
	var out []Warning
	for _, c := range sa.Ceilings {
		if c.Code != a.StateAid || c.Status == "ok" {
			continue
		}
		w := Warning{Code: "state_aid_ceiling_near", Refs: []string{a.RecipientOrganisationID},
			Message: fmt.Sprintf("%s: %s %% of the ceiling of EUR %d is used (%s – %s)%s", c.Name, c.UsedPercent, c.CeilingCents/100,
				c.WindowFrom, c.WindowTo, othersCounted(c))}
		if c.Status == "over" {
			w.Code = "state_aid_ceiling_passed"
			var block bool
			if err := tx.Raw("SELECT block FROM rules WHERE id = ?", c.RuleID).Scan(&block).Error; err != nil {
				return nil, err
			}
			if block {
				return nil, blockedBy(c)
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// othersCounted says how much of a ceiling's sum other grantors granted.
func othersCounted(c Ceiling) string {
	if len(c.OtherGrants) == 0 {
		return ""
	}
	var cents int64
	names := []string{}
	for _, g := range c.OtherGrants {
		cents = database.AddMinor(cents, g.EURCents)
		if !slices.Contains(names, g.Grantor) {
			names = append(names, g.Grantor)
		}
	}
	return fmt.Sprintf(", of which EUR %d granted by %s", cents/100, strings.Join(names, ", "))
}

// FundingSummaries sums each partnership's money in SEK öre, converting EUR
// with the fiscal year's rate; in SQL, one query for all ids.
func (s *Service) FundingSummaries(ctx context.Context, ids []string) (map[string]partnerships.FundingSummary, error) {
	var rows []struct {
		PartnershipID string
		SourceID      string
		SourceName    string
		Applied       int64
		Granted       int64
		Disbursed     int64
	}
	err := s.db.WithContext(ctx).Raw(`
		WITH conv AS (
			SELECT a.*, CASE WHEN a.currency = 'SEK' THEN 1 ELSE coalesce((SELECT x.sek_per_unit FROM exchange_rates x
			       WHERE x.currency = a.currency ORDER BY abs(x.year - a.fiscal_year) LIMIT 1), 0) END AS factor
			FROM allocations a WHERE a.partnership_id IN ? AND a.archived_at IS NULL)
		SELECT conv.partnership_id, conv.source_id, fs.name AS source_name,
		       `+database.Bigint(`sum(coalesce(conv.applied_ore, 0) * conv.factor)`)+` AS applied,
		       `+database.Bigint(`sum(coalesce(conv.granted_ore, 0) * conv.factor) FILTER (WHERE conv.status = 'granted')`)+` AS granted,
		       `+database.Bigint(`sum(coalesce((SELECT sum(d.amount_ore) FROM disbursements d WHERE d.allocation_id = conv.id AND d.archived_at IS NULL AND d.paid_on IS NOT NULL), 0) * conv.factor)`)+` AS disbursed
		FROM conv JOIN funding_sources fs ON fs.id = conv.source_id
		GROUP BY conv.partnership_id, conv.source_id, fs.name ORDER BY fs.name`, ids).Scan(&rows).Error
	out := map[string]partnerships.FundingSummary{}
	for _, id := range ids {
		out[id] = partnerships.FundingSummary{Currency: "SEK", BySource: []partnerships.SourceAmount{}}
	}
	for _, r := range rows {
		fs := out[r.PartnershipID]
		fs.AppliedOre = database.AddMinor(fs.AppliedOre, r.Applied)
		fs.GrantedOre = database.AddMinor(fs.GrantedOre, r.Granted)
		fs.DisbursedOre = database.AddMinor(fs.DisbursedOre, r.Disbursed)
		fs.BySource = append(fs.BySource, partnerships.SourceAmount{SourceID: r.SourceID, SourceName: r.SourceName, GrantedOre: r.Granted})
		out[r.PartnershipID] = fs
	}
	return out, err
}

// DoubleFunding are pairs of allocations to the same organisation, from
// different sources, for overlapping periods, to different partnerships with
// a target group in common: the same purpose funded twice, to be reviewed.
// Several sources of one partnership are co-financing and are not listed.
type DoubleFunding struct {
	OrganisationID   string   `json:"organisation_id" format:"uuid"`
	OrganisationName string   `json:"organisation_name"`
	AllocationIDs    []string `json:"allocation_ids"`
	PartnershipIDs   []string `json:"partnership_ids"`
	SourceNames      []string `json:"source_names"`
	TargetGroups     []string `json:"target_groups"`
	From             string   `json:"from" format:"date"`
	To               string   `json:"to" format:"date"`
} // @name DoubleFunding

// DoubleFundings lists the pairs visible to p, optionally for one partnership.
//
// The pairs are found first, in a subquery the planner keeps apart (OFFSET
// 0), and only then named; one ten-table join took 40 ms just to plan. For
// one partnership the search starts from the organisations it funds.
func (s *Service) DoubleFundings(ctx context.Context, p auth.Principal, partnershipID string) ([]DoubleFunding, error) {
	from, args := "allocations a", []any{}
	if partnershipID != "" {
		from = `(SELECT DISTINCT recipient_organisation_id AS id FROM allocations WHERE partnership_id = ?) mine
			JOIN allocations a ON a.recipient_organisation_id = mine.id`
		args = append(args, partnershipID)
	}
	pairs := `SELECT a.recipient_organisation_id AS org, a.id AS a_id, b.id AS b_id, a.partnership_id AS a_partnership, b.partnership_id AS b_partnership,
			a.source_id AS a_source, b.source_id AS b_source, greatest(lower(ra), lower(rb)) AS from_day, least(upper(ra), upper(rb)) - 1 AS to_day
		FROM ` + from + `
		CROSS JOIN LATERAL daterange(coalesce(a.period_start, make_date(a.fiscal_year, 1, 1)), coalesce(a.period_end, make_date(a.fiscal_year, 12, 31)), '[]') AS ra
		JOIN allocations b ON b.recipient_organisation_id = a.recipient_organisation_id AND b.id > a.id AND b.source_id <> a.source_id
			AND b.partnership_id <> a.partnership_id AND b.archived_at IS NULL AND b.status IN ('applied', 'granted')
		CROSS JOIN LATERAL daterange(coalesce(b.period_start, make_date(b.fiscal_year, 1, 1)), coalesce(b.period_end, make_date(b.fiscal_year, 12, 31)), '[]') AS rb
		WHERE a.archived_at IS NULL AND a.status IN ('applied', 'granted') AND ra && rb`
	if partnershipID != "" {
		pairs += " AND (a.partnership_id = ? OR b.partnership_id = ?)"
		args = append(args, partnershipID, partnershipID)
	}
	q := s.db.WithContext(ctx).Table("("+pairs+" OFFSET 0) AS d", args...).Select(`d.org AS organisation_id, o.name AS organisation_name,
			ARRAY[d.a_id::text, d.b_id::text] AS allocation_ids, ARRAY[d.a_partnership::text, d.b_partnership::text] AS partnership_ids,
			ARRAY[sa.name, sb.name] AS source_names,
			ARRAY(SELECT unnest(partnerships.target_groups) INTERSECT SELECT unnest(pb.target_groups)) AS target_groups,
			d.from_day, d.to_day`).
		Joins("JOIN partnerships ON partnerships.id = d.a_partnership").
		Joins("JOIN partnerships pb ON pb.id = d.b_partnership").
		Joins("JOIN organisations o ON o.id = d.org").
		Joins("JOIN funding_sources sa ON sa.id = d.a_source").
		Joins("JOIN funding_sources sb ON sb.id = d.b_source").
		Where("partnerships.target_groups && pb.target_groups").
		// Both of the pair the tenant's, as row-level security has it.
		Where(database.OfTenantOrShared(ctx, "partnerships.tenant_id", "partnerships.id")).
		Where(database.OfTenantOrShared(ctx, "pb.tenant_id", "pb.id"))
	q = s.access.Visible(q, p, "partnerships")
	var rows []struct {
		OrganisationID   string
		OrganisationName string
		AllocationIDs    stringArray
		PartnershipIDs   stringArray
		SourceNames      stringArray
		TargetGroups     stringArray
		FromDay          time.Time
		ToDay            time.Time
	}
	if err := q.Order("o.name").Limit(500).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]DoubleFunding, len(rows))
	for i, r := range rows {
		out[i] = DoubleFunding{OrganisationID: r.OrganisationID, OrganisationName: r.OrganisationName, AllocationIDs: r.AllocationIDs,
			PartnershipIDs: r.PartnershipIDs, SourceNames: r.SourceNames, TargetGroups: r.TargetGroups,
			From: r.FromDay.Format(time.DateOnly), To: r.ToDay.Format(time.DateOnly)}
	}
	return out, nil
}

// FundingWarnings are the warnings on a partnership's detail.
func (s *Service) FundingWarnings(ctx context.Context, partnershipID string) ([]partnerships.Warning, error) {
	pairs, err := s.DoubleFundings(ctx, auth.System, partnershipID)
	out := make([]partnerships.Warning, len(pairs))
	for i, d := range pairs {
		out[i] = partnerships.Warning{Code: "double_funding", Refs: d.AllocationIDs,
			Message: fmt.Sprintf("%s is funded from %s and %s for overlapping periods (%s – %s) for the same target group",
				d.OrganisationName, d.SourceNames[0], d.SourceNames[1], d.From, d.To)}
	}
	return out, err
}

func blockedBy(c Ceiling) error {
	return problem.Unprocessable("state_aid_ceiling_passed",
		fmt.Sprintf("this allocation takes the recipient past the %s ceiling of EUR %d (%s – %s)%s; the rule blocks it", c.Name, c.CeilingCents/100,
			c.WindowFrom, c.WindowTo, othersCounted(c)))
}
