// Package codelists names every enumerated value of the domain with its
// Swedish and English label. Most lists are fixed in code (the API's enums);
// target groups and policy goals are lists that admins extend.
package codelists

// Entry is one value of a code list.
type Entry struct {
	Code    string `json:"code" example:"iop"`
	LabelSV string `json:"label_sv" example:"Idéburet offentligt partnerskap (IOP)"`
	LabelEN string `json:"label_en" example:"Non-profit public partnership (IOP)"`
	GoalSet string `json:"goal_set,omitempty" example:"agenda2030"`
	// Municipality is set on policy goals that belong to one municipality.
	Municipality string `json:"municipality_code,omitempty" example:"1480"`
	// Version is set on entries of extendable lists, for If-Match when relabelling.
	Version int `json:"version,omitempty" example:"1"`
} // @name CodeListEntry

// List is a fixed code list.
type List []Entry

// Codes are the list's codes, in order.
func (l List) Codes() []string {
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = e.Code
	}
	return out
}

// Has reports whether code is in the list.
func (l List) Has(code string) bool {
	for _, e := range l {
		if e.Code == code {
			return true
		}
	}
	return false
}

// The fixed lists.
var (
	Forms = List{
		{Code: "iop", LabelSV: "Idéburet offentligt partnerskap (IOP)", LabelEN: "Non-profit public partnership (IOP)"},
		{Code: "operating_grant", LabelSV: "Verksamhets- eller föreningsbidrag", LabelEN: "Operating grant"},
		{Code: "project_grant", LabelSV: "Projektbidrag", LabelEN: "Project grant"},
		{Code: "procurement", LabelSV: "Upphandling (LOU)", LabelEN: "Public procurement (LOU)"},
		{Code: "direct_award", LabelSV: "Direktupphandling", LabelEN: "Direct award"},
		{Code: "choice_system", LabelSV: "Valfrihetssystem (LOV)", LabelEN: "Choice system (LOV)"},
		{Code: "reserved_contract", LabelSV: "Reserverad upphandling", LabelEN: "Reserved contract"},
		{Code: "eu_project", LabelSV: "EU-projekt (ESF m.fl.)", LabelEN: "EU project (ESF and others)"},
		{Code: "agreement", LabelSV: "Överenskommelse", LabelEN: "Agreement"},
		{Code: "network", LabelSV: "Nätverk, dialogforum eller matchning", LabelEN: "Network, dialogue forum or matching"},
	}
	Statuses = List{
		{Code: "idea", LabelSV: "Idé", LabelEN: "Idea"},
		{Code: "dialogue", LabelSV: "Dialog", LabelEN: "Dialogue"},
		{Code: "negotiation", LabelSV: "Förhandling", LabelEN: "Negotiation"},
		{Code: "active", LabelSV: "Pågående", LabelEN: "Active"},
		{Code: "completed", LabelSV: "Avslutad", LabelEN: "Completed"},
		{Code: "terminated", LabelSV: "Avbruten i förtid", LabelEN: "Terminated early"},
		{Code: "cancelled", LabelSV: "Inställd", LabelEN: "Cancelled"},
	}
	PartyRoles = List{
		{Code: "lead", LabelSV: "Huvudman", LabelEN: "Lead"},
		{Code: "partner", LabelSV: "Partner", LabelEN: "Partner"},
		{Code: "funder", LabelSV: "Finansiär", LabelEN: "Funder"},
		{Code: "evaluator", LabelSV: "Utvärderare", LabelEN: "Evaluator"},
		{Code: "participant", LabelSV: "Deltagare", LabelEN: "Participant"},
	}
	Sectors = List{
		{Code: "public", LabelSV: "Offentlig sektor", LabelEN: "Public sector"},
		{Code: "civil_society", LabelSV: "Civilsamhället", LabelEN: "Civil society"},
		{Code: "business", LabelSV: "Näringsliv", LabelEN: "Business"},
		{Code: "academia", LabelSV: "Akademi", LabelEN: "Academia"},
		{Code: "citizens", LabelSV: "Medborgare", LabelEN: "Citizens"},
	}
	LegalForms = List{
		{Code: "ideell_forening", LabelSV: "Ideell förening", LabelEN: "Non-profit association"},
		{Code: "stiftelse", LabelSV: "Stiftelse", LabelEN: "Foundation"},
		{Code: "ekonomisk_forening", LabelSV: "Ekonomisk förening", LabelEN: "Economic association (cooperative)"},
		{Code: "trossamfund", LabelSV: "Trossamfund", LabelEN: "Faith community"},
		{Code: "aktiebolag", LabelSV: "Aktiebolag", LabelEN: "Limited company"},
		{Code: "handelsbolag", LabelSV: "Handelsbolag", LabelEN: "Trading partnership"},
		{Code: "enskild_firma", LabelSV: "Enskild firma", LabelEN: "Sole trader"},
		{Code: "kommun", LabelSV: "Kommun eller kommunal förvaltning", LabelEN: "Municipality or municipal administration"},
		{Code: "region", LabelSV: "Region", LabelEN: "Region"},
		{Code: "statlig_myndighet", LabelSV: "Statlig myndighet", LabelEN: "Government agency"},
		{Code: "larosate", LabelSV: "Lärosäte", LabelEN: "University or college"},
		{Code: "natverk", LabelSV: "Nätverk", LabelEN: "Network"},
		{Code: "ovrig", LabelSV: "Övrig eller okänd", LabelEN: "Other or unknown"},
	}
	ParticipationLevels = List{
		{Code: "information", LabelSV: "Information", LabelEN: "Information"},
		{Code: "consultation", LabelSV: "Konsultation", LabelEN: "Consultation"},
		{Code: "dialogue", LabelSV: "Dialog", LabelEN: "Dialogue"},
		{Code: "partnership", LabelSV: "Partnerskap", LabelEN: "Partnership"},
	}
	DecisionSteps = List{
		{Code: "agenda_setting", LabelSV: "Dagordning", LabelEN: "Agenda setting"},
		{Code: "drafting", LabelSV: "Utformning", LabelEN: "Drafting"},
		{Code: "decision", LabelSV: "Beslut", LabelEN: "Decision"},
		{Code: "implementation", LabelSV: "Genomförande", LabelEN: "Implementation"},
		{Code: "monitoring", LabelSV: "Uppföljning", LabelEN: "Monitoring"},
		{Code: "reformulation", LabelSV: "Omprövning", LabelEN: "Reformulation"},
	}
	Principles = List{
		{Code: "integrity_independence", LabelSV: "Integritet och oberoende", LabelEN: "Integrity and independence"},
		{Code: "dialogue", LabelSV: "Dialog", LabelEN: "Dialogue"},
		{Code: "quality", LabelSV: "Kvalitet", LabelEN: "Quality"},
		{Code: "long_term", LabelSV: "Långsiktighet", LabelEN: "Long-term perspective"},
		{Code: "openness_transparency", LabelSV: "Öppenhet och insyn", LabelEN: "Openness and transparency"},
		{Code: "diversity", LabelSV: "Mångfald", LabelEN: "Diversity"},
	}
	CommitmentKinds = List{
		{Code: "money", LabelSV: "Pengar", LabelEN: "Money"},
		{Code: "volunteer_hours", LabelSV: "Ideell tid", LabelEN: "Volunteer time"},
		{Code: "staff_hours", LabelSV: "Personaltid", LabelEN: "Staff time"},
		{Code: "premises", LabelSV: "Lokaler", LabelEN: "Premises"},
		{Code: "competence", LabelSV: "Kompetens", LabelEN: "Competence"},
		{Code: "network", LabelSV: "Nätverk och kontakter", LabelEN: "Network"},
		{Code: "equipment", LabelSV: "Utrustning", LabelEN: "Equipment"},
		{Code: "activities", LabelSV: "Aktiviteter", LabelEN: "Activities"},
	}
	CommitmentDirections = List{
		{Code: "committed", LabelSV: "Åtagande", LabelEN: "Committed"},
		{Code: "delivered", LabelSV: "Levererat", LabelEN: "Delivered"},
	}
	ResultLevels = List{
		{Code: "output", LabelSV: "Prestation", LabelEN: "Output"},
		{Code: "outcome", LabelSV: "Resultat", LabelEN: "Outcome"},
		{Code: "impact", LabelSV: "Effekt", LabelEN: "Impact"},
	}
	Directions = List{
		{Code: "increase", LabelSV: "Ska öka", LabelEN: "Higher is better"},
		{Code: "decrease", LabelSV: "Ska minska", LabelEN: "Lower is better"},
	}
	Aggregations = List{
		{Code: "sum", LabelSV: "Summa", LabelEN: "Sum"},
		{Code: "last", LabelSV: "Senaste värdet", LabelEN: "Latest value"},
		{Code: "average", LabelSV: "Medelvärde", LabelEN: "Average"},
	}
	MeasurementStatuses = List{
		{Code: "submitted", LabelSV: "Inskickad", LabelEN: "Submitted"},
		{Code: "approved", LabelSV: "Godkänd", LabelEN: "Approved"},
		{Code: "rejected", LabelSV: "Avvisad", LabelEN: "Rejected"},
	}
	EvaluationKinds = List{
		{Code: "self_assessment", LabelSV: "Självvärdering", LabelEN: "Self-assessment"},
		{Code: "follow_up", LabelSV: "Uppföljning", LabelEN: "Follow-up"},
		{Code: "external_evaluation", LabelSV: "Extern utvärdering", LabelEN: "External evaluation"},
		{Code: "accompanying_research", LabelSV: "Följeforskning", LabelEN: "Accompanying research"},
	}
	LessonCategories = List{
		{Code: "success_factor", LabelSV: "Framgångsfaktor", LabelEN: "Success factor"},
		{Code: "obstacle", LabelSV: "Hinder", LabelEN: "Obstacle"},
		{Code: "recommendation", LabelSV: "Rekommendation", LabelEN: "Recommendation"},
	}
	LessonFactors = List{
		{Code: "trust", LabelSV: "Tillit", LabelEN: "Trust"},
		{Code: "time", LabelSV: "Tid", LabelEN: "Time"},
		{Code: "flexibility", LabelSV: "Flexibilitet", LabelEN: "Flexibility"},
		{Code: "shared_goals", LabelSV: "Gemensamma mål", LabelEN: "Shared goals"},
		{Code: "responsiveness", LabelSV: "Lyhördhet", LabelEN: "Responsiveness"},
		{Code: "long_term_funding", LabelSV: "Långsiktig finansiering", LabelEN: "Long-term funding"},
		{Code: "political_leadership", LabelSV: "Politiskt ledarskap", LabelEN: "Political leadership"},
		{Code: "readiness_to_give_up", LabelSV: "Beredskap att avstå något", LabelEN: "Readiness to give something up"},
		{Code: "equal_footing", LabelSV: "Jämbördighet", LabelEN: "Equal footing"},
		{Code: "knowledge_transfer", LabelSV: "Kunskapsöverföring", LabelEN: "Knowledge transfer"},
		{Code: "administrative_burden", LabelSV: "Administrativ börda", LabelEN: "Administrative burden"},
	}
	SourceKinds = List{
		{Code: "municipal_budget", LabelSV: "Kommunal budget", LabelEN: "Municipal budget"},
		{Code: "state_grant", LabelSV: "Statsbidrag", LabelEN: "State grant"},
		{Code: "eu_fund", LabelSV: "EU-fond", LabelEN: "EU fund"},
		{Code: "foundation", LabelSV: "Stiftelse eller fond", LabelEN: "Foundation"},
		{Code: "business", LabelSV: "Näringsliv", LabelEN: "Business"},
		{Code: "own_funds", LabelSV: "Egna medel", LabelEN: "Own funds"},
	}
	AllocationStatuses = List{
		{Code: "applied", LabelSV: "Ansökt", LabelEN: "Applied"},
		{Code: "granted", LabelSV: "Beviljad", LabelEN: "Granted"},
		{Code: "rejected", LabelSV: "Avslagen", LabelEN: "Rejected"},
		{Code: "withdrawn", LabelSV: "Återkallad", LabelEN: "Withdrawn"},
	}
	StateAidKinds = List{
		{Code: "sgei_de_minimis", LabelSV: "Försumbart stöd för SGEI (de minimis)", LabelEN: "SGEI de minimis"},
		{Code: "general_de_minimis", LabelSV: "Allmänt försumbart stöd (de minimis)", LabelEN: "General de minimis"},
		{Code: "none", LabelSV: "Inte statsstöd", LabelEN: "Not state aid"},
	}
	Currencies = List{
		{Code: "SEK", LabelSV: "Svenska kronor", LabelEN: "Swedish krona"},
		{Code: "EUR", LabelSV: "Euro", LabelEN: "Euro"},
	}
	UserRoles = List{
		{Code: "admin", LabelSV: "Administratör", LabelEN: "Administrator"},
		{Code: "editor", LabelSV: "Redaktör", LabelEN: "Editor"},
		{Code: "district_editor", LabelSV: "Stadsdelsredaktör", LabelEN: "District editor"},
		{Code: "viewer", LabelSV: "Läsare", LabelEN: "Viewer"},
		{Code: "reporter", LabelSV: "Rapportör (organisation)", LabelEN: "Reporter (organisation)"},
	}
)

// Fixed maps each fixed list to its name in the API.
var Fixed = map[string]List{
	"forms": Forms, "statuses": Statuses, "party_roles": PartyRoles, "sectors": Sectors, "legal_forms": LegalForms,
	"participation_levels": ParticipationLevels, "decision_steps": DecisionSteps, "principles": Principles,
	"commitment_kinds": CommitmentKinds, "commitment_directions": CommitmentDirections, "result_levels": ResultLevels,
	"directions": Directions, "aggregations": Aggregations, "measurement_statuses": MeasurementStatuses,
	"evaluation_kinds": EvaluationKinds, "lesson_categories": LessonCategories, "lesson_factors": LessonFactors,
	"source_kinds": SourceKinds, "allocation_statuses": AllocationStatuses, "state_aid_kinds": StateAidKinds,
	"currencies": Currencies, "user_roles": UserRoles,
}

// Extendable are the lists admins extend, kept in the database.
var Extendable = []string{"target_groups", "policy_goals"}
