package demo

type municipality struct{ code, name string }

// municipalities: Göteborg, Borås and Malmö, and the Skåne and Blekinge
// municipalities the ESF pre-study reached (SCB kommunkoder).
var municipalities = []municipality{
	{"1480", "Göteborg"}, {"1490", "Borås"},
	{"1060", "Olofström"}, {"1080", "Karlskrona"}, {"1081", "Ronneby"}, {"1082", "Karlshamn"}, {"1083", "Sölvesborg"},
	{"1214", "Svalöv"}, {"1230", "Staffanstorp"}, {"1231", "Burlöv"}, {"1233", "Vellinge"}, {"1256", "Östra Göinge"},
	{"1257", "Örkelljunga"}, {"1260", "Bjuv"}, {"1261", "Kävlinge"}, {"1262", "Lomma"}, {"1263", "Svedala"},
	{"1264", "Skurup"}, {"1265", "Sjöbo"}, {"1266", "Hörby"}, {"1267", "Höör"}, {"1270", "Tomelilla"},
	{"1272", "Bromölla"}, {"1273", "Osby"}, {"1275", "Perstorp"}, {"1276", "Klippan"}, {"1277", "Åstorp"},
	{"1278", "Båstad"}, {"1280", "Malmö"}, {"1281", "Lund"}, {"1282", "Landskrona"}, {"1283", "Helsingborg"},
	{"1284", "Höganäs"}, {"1285", "Eslöv"}, {"1286", "Ystad"}, {"1287", "Trelleborg"}, {"1290", "Kristianstad"},
	{"1291", "Simrishamn"}, {"1292", "Ängelholm"}, {"1293", "Hässleholm"},
}

// gothenburgDistricts are Gothenburg's ten districts of the seed period
// (until the 2021 reorganisation).
var gothenburgDistricts = []string{"Angered", "Östra Göteborg", "Örgryte-Härlanda", "Centrum", "Majorna-Linné",
	"Askim-Frölunda-Högsbo", "Västra Göteborg", "Västra Hisingen", "Lundby", "Norra Hisingen"}

type organisation struct {
	name, orgNumber, sector, legalForm, parent, municipality string
	districts, targetGroups                                  []string
	description, website                                     string
	contacts                                                 []string
	tenant                                                   string // the code of the tenant that registers it and keeps its contacts; "" for Göteborg
}

func (o organisation) registeredBy() string {
	if o.tenant == "" {
		return "1480"
	}
	return o.tenant
}

// organisationList is in dependency order: parents before their children.
// Each tenant registers the organisations of its own cases.
// Legal forms the documents do not state are "ovrig"; organisation numbers
// are given only where public and certain.
var organisationList = []organisation{
	{name: "Göteborgs Stad", orgNumber: "212000-1355", sector: "public", legalForm: "kommun", municipality: "1480",
		description: "Kommunen. Överenskommelsen om samverkan mellan Göteborgs Stad och den sociala ekonomin beslutades av kommunfullmäktige 2012.",
		website:     "https://goteborg.se"},
	{name: "Social resursförvaltning", sector: "public", legalForm: "kommun", parent: "Göteborgs Stad", municipality: "1480",
		description: "Förvaltning i Göteborgs Stad; part i IOP med Friskvårdsklubben och i IOP för ensamkommande barn.",
		contacts:    []string{"Utvecklingsledare, social ekonomi"}},
	{name: "Stadsledningskontoret", sector: "public", legalForm: "kommun", parent: "Göteborgs Stad", municipality: "1480",
		description: "Fördelar statsbidraget PRIO (psykisk ohälsa 2012–2016) inom staden."},
	{name: "Stadsdelsförvaltning Västra Göteborg", sector: "public", legalForm: "kommun", parent: "Göteborgs Stad", municipality: "1480",
		districts: []string{"Västra Göteborg"}, description: "Handlingsplan för samverkan med den sociala ekonomin 2015; 15 IOP:er.",
		contacts: []string{"Utvecklingsledare, Västra Göteborg"}},
	{name: "Stadsdelsförvaltning Lundby", sector: "public", legalForm: "kommun", parent: "Göteborgs Stad", municipality: "1480",
		districts: []string{"Lundby"}, description: "Idésluss för social hållbarhet: matchningsmöten mellan företag, föreningar och myndigheter."},
	{name: "Stadsdelsförvaltning Askim-Frölunda-Högsbo", sector: "public", legalForm: "kommun", parent: "Göteborgs Stad", municipality: "1480",
		districts: []string{"Askim-Frölunda-Högsbo"}},
	{name: "Stadsdelsförvaltning Västra Hisingen", sector: "public", legalForm: "kommun", parent: "Göteborgs Stad", municipality: "1480",
		districts: []string{"Västra Hisingen"}},
	{name: "Stadsdelsförvaltning Östra Göteborg", sector: "public", legalForm: "kommun", parent: "Göteborgs Stad", municipality: "1480",
		districts: []string{"Östra Göteborg"}},
	{name: "Stadsdelsförvaltning Norra Hisingen", sector: "public", legalForm: "kommun", parent: "Göteborgs Stad", municipality: "1480",
		districts: []string{"Norra Hisingen"}, description: "Backa i Fokus (beslutat hösten 2011) och EU-projektet Learning Village."},
	{name: "Friskvårdsklubben i Göteborg", sector: "civil_society", legalForm: "ideell_forening", municipality: "1480",
		districts:    []string{"Centrum", "Västra Göteborg", "Angered", "Västra Hisingen", "Norra Hisingen"},
		targetGroups: []string{"psykisk_ohalsa"},
		description:  "Brukarstyrd förening sedan 2008 som erbjuder fysiska aktiviteter för personer med psykisk ohälsa.",
		contacts:     []string{"Ordförande"}},
	{name: "Räddningsmissionen", sector: "civil_society", legalForm: "ovrig", municipality: "1480",
		targetGroups: []string{"ensamkommande_barn", "hemlosa"},
		description:  "Idéburen organisation; part i IOP för ensamkommande barn, förstudie om familjeförskola, planerad IOP om natthärbärge."},
	{name: "Bräcke diakoni", sector: "civil_society", legalForm: "stiftelse", municipality: "1480",
		targetGroups: []string{"ensamkommande_barn"}, description: "Part i IOP för ensamkommande barn."},
	{name: "Skyddsvärnet", sector: "civil_society", legalForm: "ovrig", municipality: "1480",
		targetGroups: []string{"ensamkommande_barn"},
		description:  "Part i IOP för ensamkommande barn; volontärgrupp av nio psykologer och terapeuter, cirka 50–60 timmar i månaden."},
	{name: "KarriärKraft", sector: "civil_society", legalForm: "ovrig", municipality: "1480",
		targetGroups: []string{"ensamkommande_barn"}, description: "Part i IOP för ensamkommande barn."},
	{name: "Reningsborg", sector: "civil_society", legalForm: "ovrig", municipality: "1480",
		districts: []string{"Västra Göteborg"}, targetGroups: []string{"unga_vuxna"},
		description: "Garaget: ombyggnad av Rävholmens läger sommaren 2015, sedan biltvätt och däckservice i Tynnered."},
	{name: "Caritas", sector: "civil_society", legalForm: "ovrig", municipality: "1480",
		districts: []string{"Askim-Frölunda-Högsbo"}, targetGroups: []string{"asylsokande"},
		description: "Språkträning med Askim-Frölunda-Högsbo, två grupper i veckan i sex månader från april."},
	{name: "Schyssta kompisar", sector: "civil_society", legalForm: "ovrig", municipality: "1480",
		districts: []string{"Västra Göteborg", "Lundby"}, targetGroups: []string{"unga"}, description: "Suicidprevention."},
	{name: "Fiskebäcks Missionskyrka", sector: "civil_society", legalForm: "trossamfund", municipality: "1480",
		districts: []string{"Västra Göteborg"}, targetGroups: []string{"asylsokande"},
		description: "Samordnar fem församlingar för asylsökande."},
	{name: "KFUM Göteborg", sector: "civil_society", legalForm: "ideell_forening", municipality: "1480",
		districts: []string{"Västra Göteborg"}, description: "Aktivitetsparken i Tynnered, med Länsförsäkringar."},
	{name: "Länsförsäkringar Göteborg och Bohuslän", sector: "business", legalForm: "ovrig", municipality: "1480",
		districts: []string{"Västra Göteborg"}, description: "Aktivitetsparken i Tynnered, med KFUM."},
	{name: "Göteborgs Stadsmission", sector: "civil_society", legalForm: "ovrig", municipality: "1480",
		targetGroups: []string{"hemlosa"}, description: "Planerad IOP om natthärbärge (hemlöshet)."},
	{name: "Nordic Impact", sector: "business", legalForm: "ovrig",
		description: "Extern uppföljning av den kommunala handlingsplanen för Överenskommelsen."},
	{name: "Sveriges Kommuner och Landsting", sector: "public", legalForm: "ovrig",
		description: "Partner i EU-projektet Learning Village."},
	{name: "Framtidsspår", sector: "civil_society", legalForm: "ovrig", municipality: "1480", districts: []string{"Västra Göteborg"},
		targetGroups: []string{"unga_vuxna"}, description: "Stöd till unga att fullfölja gymnasieutbildning."},
	{name: "Glasgow City Council", sector: "public", legalForm: "ovrig", description: "Partner i EU-projektet Learning Village."},
	{name: "Dornbirn", sector: "public", legalForm: "ovrig", description: "Partner i EU-projektet Learning Village."},
	{name: "Malmö stad", tenant: "1280", sector: "public", legalForm: "kommun", municipality: "1280"},
	{name: "Region Skåne", tenant: "12", sector: "public", legalForm: "region", municipality: "1280",
		description: "Upphandlade catering av Yalla Trappan med fast pris och kvalitet bedömd av en smakpanel."},
	{name: "Yalla Trappan", tenant: "12", sector: "civil_society", legalForm: "ekonomisk_forening", municipality: "1280",
		targetGroups: []string{"kvinnor_utanfor_arbetsmarknaden"},
		description:  "Arbetsintegrerande socialt företag, kvinnokooperativ i Rosengård med 20 anställda."},
	{name: "Rädda Barnen region syd", tenant: "12", sector: "civil_society", legalForm: "ideell_forening", municipality: "1280",
		description: "Projektägare för ESF-förstudien Sektorsöverskridande samverkan för social hållbarhet (2014).",
		contacts:    []string{"Projektledare"}},
	{name: "Folkuniversitetet Kursverksamheten vid Lunds universitet", tenant: "12", sector: "civil_society", legalForm: "stiftelse", municipality: "1281"},
	{name: "Hållbar Utveckling Skåne", tenant: "12", sector: "civil_society", legalForm: "ovrig"},
	{name: "Nätverk Social Ekonomi Skåne", tenant: "12", sector: "civil_society", legalForm: "natverk"},
	{name: "Institutionen för Urbana studier", tenant: "12", sector: "academia", legalForm: "larosate", municipality: "1280"},
	{name: "Borås Stad", tenant: "1490", sector: "public", legalForm: "kommun", municipality: "1490",
		description: "Socialt hållbart Borås."},
	{name: "Högskolan i Borås", tenant: "1490", sector: "academia", legalForm: "larosate", municipality: "1490",
		description: "Följeforskning om tre samverkansformer: styrgruppen, familjecentraler och Skolan som arena."},
	{name: "Sjöboskolan", tenant: "1490", sector: "public", legalForm: "kommun", parent: "Borås Stad", municipality: "1490",
		description: "Skolan som arena: samverkan mellan stad, civilsamhälle och näringsliv."},
}
