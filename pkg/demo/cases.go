package demo

import (
	"fmt"
	"strings"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/funding"
	"github.com/samverkan/samverkan/pkg/geography"
	"github.com/samverkan/samverkan/pkg/partnerships"
)

// The cases of DEMO-DATA.md with their figures. Dates the documents give
// only as a year or a season are set to that year (or season's first day);
// figures the documents do not give are left out.

func str(s string) *string { return &s }
func ore(kronor int64) *int64 {
	v := kronor * 100
	return &v
}
func num(f float64) *float64 { return &f }

func (l *loader) policyGoals() {
	abbrev := "GBG"
	m, err := l.s.Geo.Municipality(l.ctx, "1480")
	l.fail("municipality 1480", err)
	_, err = l.s.Geo.UpdateMunicipality(l.ctx, auth.System.Actor(), "1480", m.Version, geography.UpdateMunicipalityRequest{Abbreviation: &abbrev})
	l.fail("abbreviation GBG", err)
	for i, g := range []struct{ sv, en string }{
		{"Ge barn en god start i livet", "Give children a good start in life"},
		{"Skapa goda förutsättningar under skolåren", "Good conditions through the school years"},
		{"Skapa förutsättningar för arbete", "Conditions for work"},
		{"Skapa hälsofrämjande och hållbara miljöer och samhällen", "Health-promoting and sustainable environments and communities"},
	} {
		_, err := l.s.Codes.Add(l.ctx, auth.System.Actor(), "policy_goals", codelists.NewEntryRequest{Code: fmt.Sprintf("jg_%d", i+1),
			LabelSV: g.sv, LabelEN: g.en, GoalSet: "jamlikt_goteborg", MunicipalityCode: "1480", SortOrder: 100 + i})
		l.fail("policy goal", err)
	}
}

// rates are the Riksbank's annual average SEK per EUR for the years of the
// cases (verify before relying on them for real decisions).
var rates = map[int]string{2011: "9.0298", 2012: "8.7041", 2013: "8.6515", 2014: "9.0985", 2015: "9.3535", 2016: "9.4689"}

// exchangeRates are shared by every tenant.
func (l *loader) exchangeRates() {
	for y, r := range rates {
		_, err := l.s.Funding.SetRate(l.ctx, auth.System, funding.ExchangeRateRequest{Year: y, Currency: "EUR", SEKPerUnit: r, Source: "Riksbanken, årsgenomsnitt"})
		l.fail("rate", err)
	}
}

// source registers a funding source of the tenant loading, under key.
func (l *loader) source(key, name, kind, provider, programme string) {
	req := funding.SourceRequest{Name: &name, Kind: &kind, Programme: &programme}
	if provider != "" {
		req.ProviderOrganisationID = str(l.orgs[provider])
	}
	s, err := l.s.Funding.SaveSource(l.ctx, auth.System, "", 0, req)
	l.fail("source "+name, err)
	l.sources[key] = s.ID
}

func (l *loader) gothenburgSources() {
	l.source("aktivitetshus", "Aktivitetshusens budget", "municipal_budget", "Social resursförvaltning", "")
	l.source("prio", "PRIO – psykisk ohälsa 2012–2016", "state_grant", "Stadsledningskontoret",
		"Plan för riktade insatser inom området psykisk ohälsa 2012–2016, fördelas av Stadsledningskontoret")
	l.source("vastra", "Stadsdelsnämnden Västra Göteborg – samverkan med civilsamhället", "municipal_budget", "Stadsdelsförvaltning Västra Göteborg", "")
}

func (l *loader) skaneSources() {
	l.source("esf", "Europeiska socialfonden 2014–2020", "eu_fund", "", "Programområde 2 Ökat arbetskraftsutbud")
}

func (l *loader) definitions() {
	for _, d := range []struct{ code, sv, en, unit, level string }{
		{"participants", "Deltagare", "Participants", "personer", "output"},
		{"activities_held", "Genomförda aktiviteter", "Activities held", "aktiviteter", "output"},
		{"jobs_obtained", "Fått anställning", "Jobs obtained", "personer", "outcome"},
		{"internships", "Praktikplatser", "Internships", "personer", "outcome"},
		{"completed_upper_secondary", "Fullföljd gymnasieutbildning", "Completed upper-secondary education", "personer", "outcome"},
		{"mentor_matches", "Matchningar mentor–ungdom", "Mentor matches", "matchningar", "output"},
		{"volunteer_hours", "Ideella timmar", "Volunteer hours", "timmar", "output"},
		{"actors_at_meeting", "Aktörer på möte", "Actors at a meeting", "aktörer", "output"},
		{"collaborations_formed", "Samverkan som bildats", "Collaborations formed", "samverkan", "outcome"},
		{"local_projects", "Lokala projekt", "Local projects", "projekt", "outcome"},
	} {
		def, err := l.s.Evaluation.SaveDefinition(l.ctx, auth.System, "", 0, evaluation.DefinitionRequest{Code: &d.code, NameSV: &d.sv,
			NameEN: &d.en, Unit: &d.unit, ResultLevel: &d.level})
		l.fail("definition "+d.code, err)
		l.defs[d.code] = def.ID
	}
}

// partnership registers a case; status history goes through transitions
// when the case moved on (the Friskvårdsklubben IOP), else it starts where
// the documents leave it.
func (l *loader) partnership(req partnerships.NewRequest, parties map[string]string) string {
	if l.err != nil {
		return ""
	}
	if req.MunicipalityCode == "" {
		req.MunicipalityCode = "1480"
	}
	p, err := l.s.Partnerships.Create(l.ctx, auth.System, req)
	l.fail("partnership "+req.Title, err)
	for org, role := range parties {
		_, err := l.s.Partnerships.AddParty(l.ctx, auth.System, p.ID, partnerships.NewPartyRequest{OrganisationID: l.orgs[org], Role: role})
		l.fail("party "+org, err)
	}
	return p.ID
}

func (l *loader) partyOf(partnershipID, org string) string {
	parties, err := l.s.Partnerships.Parties(l.ctx, auth.System, partnershipID)
	l.fail("parties", err)
	for _, p := range parties {
		if p.OrganisationID == l.orgs[org] {
			return p.ID
		}
	}
	l.fail("party", fmt.Errorf("%s is no party", org))
	return ""
}

func (l *loader) commit(partnershipID, org string, req partnerships.NewCommitmentRequest) {
	if l.err != nil {
		return
	}
	req.PartyID = l.partyOf(partnershipID, org)
	if req.Direction == "" {
		req.Direction = "committed"
	}
	_, err := l.s.Partnerships.AddCommitment(l.ctx, auth.System, partnershipID, req)
	l.fail("commitment", err)
}

func (l *loader) allocate(partnershipID, source, recipient string, kronor int64, year int, aid string) {
	if l.err != nil {
		return
	}
	_, err := l.s.Funding.SaveAllocation(l.ctx, auth.System, "", 0, funding.AllocationRequest{SourceID: str(l.sources[source]),
		PartnershipID: &partnershipID, RecipientOrganisationID: str(l.orgs[recipient]), AppliedOre: ore(kronor), GrantedOre: ore(kronor),
		FiscalYear: &year, Status: str("granted"), StateAid: &aid})
	l.fail("allocation", err)
}

// indicator adds an indicator from a definition with targets, and approved
// measurements of the figures the documents report.
func (l *loader) indicator(partnershipID, def, name string, targets []evaluation.TargetRequest, outcomes ...evaluation.MeasurementRequest) string {
	if l.err != nil {
		return ""
	}
	req := evaluation.IndicatorRequest{DefinitionID: str(l.defs[def])}
	if strings.Contains(name, "per vecka") {
		req.Aggregation, req.Unit = str("last"), str("aktiviteter per vecka") // a rate: the latest value, not a sum
	}
	if name != "" {
		req.Name = &name
	}
	if targets != nil {
		req.Targets = &targets
	}
	ind, err := l.s.Evaluation.SaveIndicator(l.ctx, auth.System, partnershipID, "", 0, req)
	l.fail("indicator "+def, err)
	for _, m := range outcomes {
		sub, err := l.s.Evaluation.Submit(l.ctx, auth.System, ind.ID, m)
		l.fail("measurement", err)
		_, err = l.s.Evaluation.Review(l.ctx, auth.System, sub.ID, true, evaluation.ReviewRequest{})
		l.fail("approval", err)
	}
	return ind.ID
}

func (l *loader) transition(id string, steps ...[2]string) {
	for _, s := range steps {
		if l.err != nil {
			return
		}
		_, err := l.s.Partnerships.Transition(l.ctx, auth.System, id, partnerships.TransitionRequest{To: s[0], On: s[1]})
		l.fail("transition", err)
	}
}

// gothenburgCases are Göteborg's cases, 1–9 of DEMO-DATA.md and
// Överenskommelsen.
func (l *loader) gothenburgCases() {
	d := l.districts
	principles := map[string]partnerships.PrincipleAssessment{}

	// 1. Friskvårdsklubben: IOP 2015, extended through 2016.
	fk := l.partnership(partnerships.NewRequest{Title: "Friskvårdsklubben i Göteborg – fysisk aktivitet vid psykisk ohälsa",
		Purpose: "Brukarstyrd förening (sedan 2008) som erbjuder fysiska aktiviteter för personer med psykisk ohälsa. Kunskapsinsamling redovisas på referensgruppsmöten.",
		Form:    "iop", Status: "negotiation", StartDate: "2015-01-01", EndDate: "2015-12-31", OwnerOrganisationID: l.orgs["Social resursförvaltning"],
		DistrictIDs: []string{d["Centrum"], d["Angered"], d["Östra Göteborg"]}, TargetGroups: []string{"psykisk_ohalsa"},
		PolicyGoals: []string{"jg_4", "sdg_3"}, ParticipationLevel: "partnership", DecisionStep: "implementation", Principles: principles,
		TotalBudgetOre: ore(400_000), Public: true},
		map[string]string{"Friskvårdsklubben i Göteborg": "lead", "Social resursförvaltning": "funder", "Stadsledningskontoret": "funder"})
	l.transition(fk, [2]string{"active", "2015-01-01"})
	for _, c := range []struct {
		where    string
		district string
		n        float64
	}{{"Hisingen", "", 1}, {"Centrum", "Centrum", 1}, {"Nordost, Sekelhuset", "Östra Göteborg", 1}, {"Nordost, Gunnared", "Angered", 2}, {"Väster", "", 2}} {
		l.commit(fk, "Friskvårdsklubben i Göteborg", partnerships.NewCommitmentRequest{Kind: "activities", Quantity: num(c.n),
			Unit: "friskvårdsaktiviteter per vecka och termin", Description: c.where, DistrictID: d[c.district]})
	}
	l.commit(fk, "Friskvårdsklubben i Göteborg", partnerships.NewCommitmentRequest{Kind: "activities", Quantity: num(0.5), Unit: "dag per vecka",
		Description: "Sommaraktiviteter, en halv dag i veckan under fyra sommarveckor"})
	l.commit(fk, "Friskvårdsklubben i Göteborg", partnerships.NewCommitmentRequest{Kind: "activities", Quantity: num(10), Unit: "aktiviteter per vecka",
		Description: "Cirka tio aktiviteter i veckan på andra platser i staden"})
	l.commit(fk, "Friskvårdsklubben i Göteborg", partnerships.NewCommitmentRequest{Kind: "competence",
		Description: "Kunskapsinsamling som redovisas på referensgruppsmöten"})
	l.commit(fk, "Social resursförvaltning", partnerships.NewCommitmentRequest{Kind: "money", ValuationOre: ore(100_000), Description: "Aktivitetshusens budget"})
	l.commit(fk, "Stadsledningskontoret", partnerships.NewCommitmentRequest{Kind: "money", ValuationOre: ore(300_000), Description: "PRIO-medel"})
	l.allocate(fk, "aktivitetshus", "Friskvårdsklubben i Göteborg", 100_000, 2015, "sgei_de_minimis")
	l.allocate(fk, "prio", "Friskvårdsklubben i Göteborg", 300_000, 2015, "sgei_de_minimis")
	terms := []evaluation.TargetRequest{{PeriodStart: "2015-01-01", PeriodEnd: "2015-06-30", Target: num(1)}, {PeriodStart: "2015-07-01", PeriodEnd: "2015-12-31", Target: num(1)}}
	l.indicator(fk, "activities_held", "Friskvårdsaktiviteter per vecka, Centrum", terms)
	l.indicator(fk, "activities_held", "Friskvårdsaktiviteter per vecka, Nordost Gunnared", []evaluation.TargetRequest{
		{PeriodStart: "2015-01-01", PeriodEnd: "2015-06-30", Target: num(2)}, {PeriodStart: "2015-07-01", PeriodEnd: "2015-12-31", Target: num(2)}})
	l.transition(fk, [2]string{"completed", "2015-12-31"})
	if l.err == nil {
		next, err := l.s.Partnerships.Extend(l.ctx, auth.System, fk, partnerships.ExtendRequest{StartDate: "2016-01-01", EndDate: "2016-12-31",
			Title: "Friskvårdsklubben i Göteborg – fysisk aktivitet vid psykisk ohälsa (förlängning 2016)", Status: "active"})
		l.fail("extension", err)
		for _, due := range []string{"2016-06-30", "2016-12-31"} {
			_, err := l.s.Evaluation.SaveFollowUp(l.ctx, auth.System, next.ID, "", 0, evaluation.FollowUpRequest{DueOn: str(due),
				Description: str("Terminsuppföljning: aktiviteter per stadsdel och kunskapsinsamling till referensgruppen")})
			l.fail("follow-up", err)
		}
	}

	// 2. IOP for unaccompanied minors: seven, then nine organisations.
	em := l.partnership(partnerships.NewRequest{Title: "IOP för ensamkommande barn och unga",
		Purpose: "Boende, mentorer och värdfamiljer, psykologer och läxhjälp. Formulerades våren 2015; de första boendena var klara i maj 2015. Sju organisationer från början, sedan nio. Ett fall i den nationella överenskommelsens tematiska studie 2016.",
		Form:    "iop", Status: "active", StartDate: "2015-05-01", OwnerOrganisationID: l.orgs["Social resursförvaltning"],
		TargetGroups: []string{"ensamkommande_barn"}, PolicyGoals: []string{"jg_2", "sdg_10"}, ParticipationLevel: "partnership", DecisionStep: "implementation"},
		map[string]string{"Social resursförvaltning": "lead", "Räddningsmissionen": "partner", "Bräcke diakoni": "partner", "Skyddsvärnet": "partner", "KarriärKraft": "partner"})
	l.commit(em, "Skyddsvärnet", partnerships.NewCommitmentRequest{Kind: "volunteer_hours", Unit: "timmar i månaden",
		Description: "Volontärgrupp med nio psykologer och terapeuter, cirka 50–60 timmar i månaden"})
	l.indicator(em, "mentor_matches", "", []evaluation.TargetRequest{{PeriodStart: "2016-01-01", PeriodEnd: "2016-06-30", Target: num(100)}},
		evaluation.MeasurementRequest{PeriodStart: "2016-01-01", PeriodEnd: "2016-06-30", Value: num(65), Note: "65 unga matchade, målet 100 före sommaren"})
	if l.err == nil {
		_, err := l.s.Evaluation.SaveEvaluation(l.ctx, auth.System, em, "", 0, evaluation.EvaluationRequest{Kind: str("follow_up"),
			Evaluator: str("Nationella överenskommelsen – tematisk studie 2016"), Summary: str("Fall i den nationella överenskommelsens tematiska studie 2016.")})
		l.fail("evaluation", err)
	}

	// 3–4. Västra Göteborg: Framtidsspår and Garaget, SEK 75,000 each.
	fs := l.partnership(partnerships.NewRequest{Title: "Framtidsspår – Västra Göteborg ansluter",
		Purpose: "75 000 kronor för att tre unga från stadsdelen ska fullfölja gymnasieutbildning.", Form: "iop", Status: "completed",
		StartDate: "2015-01-01", OwnerOrganisationID: l.orgs["Stadsdelsförvaltning Västra Göteborg"], DistrictIDs: []string{d["Västra Göteborg"]},
		TargetGroups: []string{"unga_vuxna"}, PolicyGoals: []string{"jg_2", "sdg_4"}, TotalBudgetOre: ore(75_000), Public: true},
		map[string]string{"Framtidsspår": "lead", "Stadsdelsförvaltning Västra Göteborg": "funder"})
	l.allocate(fs, "vastra", "Framtidsspår", 75_000, 2015, "sgei_de_minimis")
	l.indicator(fs, "completed_upper_secondary", "", []evaluation.TargetRequest{{PeriodStart: "2015-01-01", PeriodEnd: "2016-12-31", Target: num(3)}},
		evaluation.MeasurementRequest{PeriodStart: "2015-01-01", PeriodEnd: "2016-12-31", Value: num(3)})

	ga := l.partnership(partnerships.NewRequest{Title: "Garaget – Västra Göteborg och Reningsborg",
		Purpose: "Startade sommaren 2015 med ombyggnaden av Rävholmens läger, sedan biltvätt och däckservice i Tynnered.", Form: "iop",
		Status: "completed", StartDate: "2015-06-01", OwnerOrganisationID: l.orgs["Stadsdelsförvaltning Västra Göteborg"],
		DistrictIDs: []string{d["Västra Göteborg"]}, TargetGroups: []string{"unga_vuxna"}, PolicyGoals: []string{"jg_3", "sdg_8"}, TotalBudgetOre: ore(75_000),
		Public: true},
		map[string]string{"Reningsborg": "lead", "Stadsdelsförvaltning Västra Göteborg": "funder"})
	l.allocate(ga, "vastra", "Reningsborg", 75_000, 2015, "sgei_de_minimis")
	l.indicator(ga, "jobs_obtained", "Fasta anställningar", nil, evaluation.MeasurementRequest{PeriodStart: "2015-06-01", PeriodEnd: "2016-12-31", Value: num(3)})
	l.indicator(ga, "internships", "", nil, evaluation.MeasurementRequest{PeriodStart: "2015-06-01", PeriodEnd: "2016-12-31", Value: num(10)})

	// 5. Other cases in Västra Göteborg and nearby districts.
	ca := l.partnership(partnerships.NewRequest{Title: "Språkträning med Caritas", Purpose: "Två grupper i veckan under sex månader från april.",
		Form: "agreement", Status: "completed", StartDate: "2016-04-01", OwnerOrganisationID: l.orgs["Stadsdelsförvaltning Askim-Frölunda-Högsbo"],
		DistrictIDs: []string{d["Askim-Frölunda-Högsbo"]}, TargetGroups: []string{"asylsokande"}, PolicyGoals: []string{"sdg_4"}},
		map[string]string{"Caritas": "lead", "Stadsdelsförvaltning Askim-Frölunda-Högsbo": "partner"})
	l.commit(ca, "Caritas", partnerships.NewCommitmentRequest{Kind: "activities", Quantity: num(2), Unit: "grupper per vecka", Description: "Språkträning i sex månader"})
	l.partnership(partnerships.NewRequest{Title: "Schyssta kompisar – suicidprevention", Form: "agreement", Status: "active",
		DistrictIDs: []string{d["Västra Göteborg"], d["Lundby"]}, TargetGroups: []string{"unga"}, PolicyGoals: []string{"sdg_3"}},
		map[string]string{"Schyssta kompisar": "lead", "Stadsdelsförvaltning Västra Göteborg": "partner", "Stadsdelsförvaltning Lundby": "partner"})
	l.partnership(partnerships.NewRequest{Title: "Förstudie om familjeförskola", Form: "agreement", Status: "dialogue",
		DistrictIDs: []string{d["Västra Göteborg"]}, TargetGroups: []string{"familjer"}, PolicyGoals: []string{"jg_1"}},
		map[string]string{"Räddningsmissionen": "lead", "Stadsdelsförvaltning Västra Göteborg": "partner"})
	l.partnership(partnerships.NewRequest{Title: "Fem församlingar för asylsökande", Purpose: "Fiskebäcks Missionskyrka samordnar fem församlingar.",
		Form: "network", Status: "active", DistrictIDs: []string{d["Västra Göteborg"]}, TargetGroups: []string{"asylsokande"}},
		map[string]string{"Fiskebäcks Missionskyrka": "lead", "Stadsdelsförvaltning Västra Göteborg": "partner"})
	l.partnership(partnerships.NewRequest{Title: "Aktivitetsparken i Tynnered", Form: "network", Status: "active",
		DistrictIDs: []string{d["Västra Göteborg"]}, TargetGroups: []string{"barn_och_unga"}, PolicyGoals: []string{"jg_4"}},
		map[string]string{"KFUM Göteborg": "lead", "Länsförsäkringar Göteborg och Bohuslän": "partner", "Stadsdelsförvaltning Västra Göteborg": "partner"})

	// 6. Idésluss för social hållbarhet, Lundby.
	id := l.partnership(partnerships.NewRequest{Title: "Idésluss för social hållbarhet – Lundby",
		Purpose: "Matchningsmöten mellan företag, organisationer och myndigheter (pilot hösten 2015). Två samverkan bildades: matchning av individer till platser och en lokal volontärsluss.",
		Form:    "network", Status: "active", StartDate: "2015-09-01", OwnerOrganisationID: l.orgs["Stadsdelsförvaltning Lundby"],
		DistrictIDs: []string{d["Lundby"]}, PolicyGoals: []string{"sdg_17"}, ParticipationLevel: "dialogue", DecisionStep: "agenda_setting"},
		map[string]string{"Stadsdelsförvaltning Lundby": "lead"})
	l.indicator(id, "actors_at_meeting", "", nil,
		evaluation.MeasurementRequest{PeriodStart: "2015-09-01", PeriodEnd: "2015-12-31", Value: num(9), Note: "Första mötet"},
		evaluation.MeasurementRequest{PeriodStart: "2016-05-12", PeriodEnd: "2016-05-12", Value: num(7), Note: "Fyra återkom och tre var nya"})
	l.indicator(id, "collaborations_formed", "", nil, evaluation.MeasurementRequest{PeriodStart: "2015-09-01", PeriodEnd: "2016-06-30", Value: num(2)})

	// 7. Homelessness: planned IOPs on overnight places.
	l.partnership(partnerships.NewRequest{Title: "Natthärbärgen – planerade IOP",
		Purpose: "BoInvent 1 (2016): 3 435 hushåll utan egen bostad, 3 926 vuxna och 1 693 barn. En workshop med 26 personer den 26 april; planerade IOP:er med Stadsmissionen och Räddningsmissionen om natthärbärgesplatser.",
		Form:    "iop", Status: "dialogue", OwnerOrganisationID: l.orgs["Social resursförvaltning"], TargetGroups: []string{"hemlosa"},
		PolicyGoals: []string{"sdg_1", "sdg_11"}, ParticipationLevel: "dialogue", DecisionStep: "drafting"},
		map[string]string{"Social resursförvaltning": "lead", "Göteborgs Stadsmission": "partner", "Räddningsmissionen": "partner"})

	// 8. Drug prevention through associations.
	dp := l.partnership(partnerships.NewRequest{Title: "Drogförebyggande arbete via föreningar",
		Purpose: "Föreningsrepresentanter utbildas till föreläsare, först i Västra Hisingen och sedan i Östra Göteborg.",
		Form:    "agreement", Status: "active", DistrictIDs: []string{d["Västra Hisingen"], d["Östra Göteborg"]}, TargetGroups: []string{"unga"},
		PolicyGoals: []string{"sdg_3"}},
		map[string]string{"Stadsdelsförvaltning Västra Hisingen": "lead", "Stadsdelsförvaltning Östra Göteborg": "partner"})
	l.indicator(dp, "participants", "Utbildade föreningsrepresentanter, första omgången", nil,
		evaluation.MeasurementRequest{PeriodStart: "2016-01-01", PeriodEnd: "2016-06-30", Value: num(6)})
	l.indicator(dp, "participants", "Deltagare, Östra Göteborgs första tillfälle", nil,
		evaluation.MeasurementRequest{PeriodStart: "2016-05-12", PeriodEnd: "2016-05-12", Value: num(16), Note: "Tolv från sex föreningar"})

	// 9. Backa i Fokus and Learning Village.
	l.partnership(partnerships.NewRequest{Title: "Backa i Fokus", Purpose: "Beslutat hösten 2011.", Form: "agreement", Status: "active",
		StartDate: "2011-09-01", OwnerOrganisationID: l.orgs["Stadsdelsförvaltning Norra Hisingen"], DistrictIDs: []string{d["Norra Hisingen"]}},
		map[string]string{"Stadsdelsförvaltning Norra Hisingen": "lead"})
	lv := l.partnership(partnerships.NewRequest{Title: "Learning Village", Purpose: "EU-projekt med SKL och partner i Glasgow och Dornbirn. 120 personer den 16–17 september; varje Learning Village ska ge tio lokala projekt.",
		Form: "eu_project", Status: "active", OwnerOrganisationID: l.orgs["Stadsdelsförvaltning Norra Hisingen"], DistrictIDs: []string{d["Norra Hisingen"]}},
		map[string]string{"Stadsdelsförvaltning Norra Hisingen": "lead", "Sveriges Kommuner och Landsting": "partner", "Glasgow City Council": "partner", "Dornbirn": "partner"})
	l.indicator(lv, "participants", "Deltagare 16–17 september", nil, evaluation.MeasurementRequest{PeriodStart: "2016-09-16", PeriodEnd: "2016-09-17", Value: num(120)})
	l.indicator(lv, "local_projects", "Lokala projekt per Learning Village", []evaluation.TargetRequest{{PeriodStart: "2016-09-16", PeriodEnd: "2017-12-31", Target: num(10)}})

	// The local agreement itself (Överenskommelsen, decided 2012).
	l.partnership(partnerships.NewRequest{Title: "Överenskommelsen om samverkan mellan Göteborgs Stad och den sociala ekonomin",
		Purpose: "Beslutad av kommunfullmäktige 2012 efter arbete 2010–2012 i rådet Idékom; undertecknad av staden och ett sextiotal organisationer. Sex principer: integritet och oberoende, dialog, kvalitet, långsiktighet, öppenhet och insyn, mångfald. Den kommunala handlingsplanen (2014) gällde till 31 december 2016.",
		Form:    "agreement", Status: "active", OwnerOrganisationID: l.orgs["Göteborgs Stad"], ParticipationLevel: "partnership", DecisionStep: "monitoring",
		PolicyGoals: []string{"sdg_17"}, Public: true},
		map[string]string{"Göteborgs Stad": "lead"})
}

// skaneCases are Region Skåne's: the catering it buys from Yalla Trappan,
// and the ESF pre-study, which it shares with Malmö, the Skåne
// municipality among the tenants: Malmö reads it and may record its own
// contributions and allocations on it.
func (l *loader) skaneCases() {
	// 10. Yalla Trappan: catering bought by Region Skåne.
	l.partnership(partnerships.NewRequest{Title: "Catering från Yalla Trappan",
		Purpose: "Region Skåne köper catering av ett arbetsintegrerande socialt företag, med fast pris och kvalitet bedömd av en smakpanel.",
		Form:    "procurement", Status: "active", MunicipalityCode: "1280", OwnerOrganisationID: l.orgs["Region Skåne"],
		TargetGroups: []string{"kvinnor_utanfor_arbetsmarknaden"}, PolicyGoals: []string{"sdg_5", "sdg_8"}},
		map[string]string{"Region Skåne": "lead", "Yalla Trappan": "partner"})

	// 11. The ESF pre-study.
	esf := l.partnership(partnerships.NewRequest{Title: "Sektorsöverskridande samverkan för social hållbarhet",
		Purpose: "ESF-förstudie (förprojektering) i programområde 2, region Sydsverige: testa Pentahelixmodellen, skapa sektorsöverskridande lärande och en modell för Civilsamhället 3.0.",
		Form:    "eu_project", Status: "completed", StartDate: "2014-01-01", EndDate: "2014-12-31", MunicipalityCode: "1280",
		OwnerOrganisationID: l.orgs["Rädda Barnen region syd"], TargetGroups: []string{"arbetssokande"}, PolicyGoals: []string{"sdg_8", "sdg_17"},
		ParticipationLevel: "partnership", DecisionStep: "agenda_setting", TotalBudgetOre: ore(790_680), Public: true},
		map[string]string{"Rädda Barnen region syd": "lead", "Folkuniversitetet Kursverksamheten vid Lunds universitet": "partner",
			"Hållbar Utveckling Skåne": "partner", "Nätverk Social Ekonomi Skåne": "partner", "Institutionen för Urbana studier": "partner"})
	l.allocate(esf, "esf", "Rädda Barnen region syd", 790_680, 2014, "none")
	l.share(esf, "1280")
}

// share lets the tenant with code read a partnership of the tenant loading,
// and record its own contributions on it: a link the owner writes
// (row-level security lets only the owner), here directly until sharing
// has an API of its own.
func (l *loader) share(partnershipID, code string) {
	if l.err != nil {
		return
	}
	err := l.tx.WithContext(l.ctx).Exec("INSERT INTO partnership_tenants (partnership_id, tenant_id, owner_tenant_id) VALUES (?, ?, ?)",
		partnershipID, l.tenants[code], l.tenants[l.tenant]).Error
	l.fail("sharing with "+code, err)
}

// borasCases are Borås's: the accompanying research on Socialt hållbart
// Borås and its lessons.
func (l *loader) borasCases() {
	// 12. Socialt hållbart Borås: accompanying research and its lessons.
	bo := l.partnership(partnerships.NewRequest{Title: "Socialt hållbart Borås – Skolan som arena",
		Purpose: "Samverkan mellan stad, civilsamhälle och näringsliv vid Sjöboskolan, en av tre samverkansformer som följeforskningen studerade (styrgruppen, familjecentraler och Skolan som arena).",
		Form:    "agreement", Status: "active", MunicipalityCode: "1490", OwnerOrganisationID: l.orgs["Borås Stad"],
		TargetGroups: []string{"barn_och_unga"}, PolicyGoals: []string{"sdg_4", "sdg_11"}},
		map[string]string{"Borås Stad": "lead", "Sjöboskolan": "partner", "Högskolan i Borås": "evaluator"})
	if l.err == nil {
		ev, err := l.s.Evaluation.SaveEvaluation(l.ctx, auth.System, bo, "", 0, evaluation.EvaluationRequest{Kind: str("accompanying_research"),
			Evaluator: str("Högskolan i Borås"), EvaluatorOrganisationID: str(l.orgs["Högskolan i Borås"]),
			Findings: str("Lyhördhet, flexibilitet och tid möjliggör samverkan; gemensamma mål och en beredskap att avstå något.")})
		l.fail("evaluation", err)
		for _, ls := range []struct {
			cat, text string
			factors   []string
		}{
			{"success_factor", "Lyhördhet, flexibilitet och tid möjliggör samverkan.", []string{"responsiveness", "flexibility", "time"}},
			{"success_factor", "Gemensamma mål håller ihop samverkan mellan stad, civilsamhälle och näringsliv.", []string{"shared_goals"}},
			{"recommendation", "Parterna behöver vara beredda att avstå något för att samverkan ska fungera.", []string{"readiness_to_give_up"}},
		} {
			_, err := l.s.Evaluation.SaveLesson(l.ctx, auth.System, bo, "", 0, evaluation.LessonRequest{EvaluationID: &ev.ID, Category: &ls.cat,
				Factors: &ls.factors, Text: &ls.text})
			l.fail("lesson", err)
		}
	}
}
