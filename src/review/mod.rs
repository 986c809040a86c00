//! Review: a [`Record`] → a [`Review`]: the agreement checked against the GDPR art. 28
//! checklist ([`Item`]) and a [`Playbook`], with its key terms side by side.
//!
//! Each item is judged from the clause wording: an obligation counts where a sentence states
//! it (see [`evidence`] for how sentences and cues are matched); a heading, a pointer to an
//! appendix or a duty laid on sub-processors alone does not. Deadlines, parties and
//! sub-processor rows come from the record's extracted facts. An item is `present` with the
//! clauses that state it and a quote; `weak` where it is stated but below the playbook (a
//! breach notice longer than allowed, a general authorisation of sub-processors without notice
//! of changes or a right to object, only part of what the item asks); `missing` otherwise, each
//! with one line that says why.
//!
//! Assumes: the record's clauses are segmented and tagged, and its deadlines extracted; a
//! review is a pure function of the record and the playbook.

pub mod checklist;
pub mod evidence;
mod key_terms;
pub mod playbook;
pub mod report;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

pub use checklist::Item;
pub use playbook::Playbook;

use crate::record::{Record, Review, ReviewItem, ReviewStatus, ReviewedDocument};
use evidence::{find, pattern, Rule, Wording};

/// What a sub-processor is called.
pub(crate) const SUB: &str = r"underdatabehandl\w*|underleverand\w*|sub-?processors?|sub-?databehandl\w*|underbehandl\w*|(?:anden|en anden|andre|nye?) databehandlere?|another processor|other processors?|tredjepartsleverand\w*";
/// Telling someone (`underetter`, a common misspelling, too).
const NOTIFY: &str = r"underr?et\w*|orienter\w*|informer\w*|meddel\w*|notific\w*|notify\w*|anmeld\w*|varsl\w*|varsel\w*|advis\w*|give\w* besked|\binform\w*|report\w*|rapporter\w*|\bkontakte[rt]?\b|\btell\w*|underretning\w*|giv\w* (?:\S+ ){0,3}besked|gøre\w* (?:\S+ ){0,3}opmærksom|\bsige[r]? (?:\S+ ){0,3}(?:det|dette|til)\b|\balert\w*|\bwarn\w*|advar\w*|\be-?mail\w* (?:\S+ ){0,3}(?:dig|jer|you|customer|kunden)";
/// Headings of audit clauses.
const AUDIT_HEADING: &str = r"revision\w*|audit\w*|inspektion\w*|inspection\w*|\btilsyn\b";
/// Helping (`bistd` as OCR reads `bistå`).
const ASSIST: &str = r"\b(?:bist\w*|assist\w*|hjælpe?\w*|understøtte\w*|support\w*|medvirke\w*|samarbejde\w*|cooperat\w*)";
/// Doing something about security.
const SECURITY_VERB: &str = r"gennemfør\w*|iværksæt\w*|træff\w*|implementer\w*|opretholde\w*|etabler\w*|\bsikre\w*|implement\w*|maintain\w*|\btake\w*|vedtage\w*|\bskal\b|shall|must|forpligte\w*|underlagt|\bhar\b|\bhave\b|\bhas\b|anvende\w*|\buses?\b";
/// A sentence whose main verb is assisting (`Databehandleren bistår … med anmeldelse af
/// brud`): about assistance, not the duty itself.
const ASSISTING: &str = r"^(?:\S+ ){0,5}(?:bist\w*|assist\w*|hjælpe\w*|understøtte\w*)";
/// Telling someone, as a verb (a duty), not as a noun in a list or a heading.
const NOTIFIES: &str = r"underr?et(?:ter|te|tes|tet)\b|underretning\w* (?:\S+ ){0,6}(?:skal|sker|ske|shall|must)\b|orienter(?:er|e|es)\b|informer(?:er|e|es)\b|meddel(?:er|e|es)\b|notif(?:y|ies|ied)\b|anmeld(?:er|e|es)\b|varsl(?:er|e|es)\b|advis(?:erer|ere|eres)\b|giv\w* (?:\S+ ){0,3}besked|\binform(?:s|ed)?\b|\breport(?:s|ed)?\b|rapporter(?:er|e|es)\b|\btells?\b|gøre\w* (?:\S+ ){0,3}opmærksom|\balert(?:s|ed)?\b|\be-?mail\w* (?:\S+ ){0,3}(?:dig|jer|you|customer|kunden)";
/// Transfer, and the words for outside the EU/EEA.
const TRANSFER: &str = r"tredjeland\w*|third countr\w*|uden ?for (?:eu|eøs|det europæiske|den europæiske|europa)|outside (?:the )?(?:eu|eea|european)|internationale? organisation\w*|overførsel\w*|overføre\w*|overført\w*|\btransfer\w*";

/// The cues the items are judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Cue {
    Purpose,
    DataTypes,
    DataSubjects,
    Instructions,
    Unlawful,
    Confidentiality,
    Security,
    SubAuthorisation,
    SubNotice,
    SubObjection,
    FlowSame,
    FlowContract,
    FlowLiable,
    DataSubjectRights,
    Assistance,
    Breach,
    Deletion,
    Audit,
    TransferRule,
    StaysInEea,
}

impl Cue {
    const ALL: [Cue; 20] = [
        Cue::Purpose,
        Cue::DataTypes,
        Cue::DataSubjects,
        Cue::Instructions,
        Cue::Unlawful,
        Cue::Confidentiality,
        Cue::Security,
        Cue::SubAuthorisation,
        Cue::SubNotice,
        Cue::SubObjection,
        Cue::FlowSame,
        Cue::FlowContract,
        Cue::FlowLiable,
        Cue::DataSubjectRights,
        Cue::Assistance,
        Cue::Breach,
        Cue::Deletion,
        Cue::Audit,
        Cue::TransferRule,
        Cue::StaysInEea,
    ];

    /// The rules of a cue: Danish and English wording, written plainly and folded on compiling.
    fn rules(self) -> Vec<Rule> {
        // A sentence whose subject is the sub-processor alone lays the duty on it, not on
        // the processor.
        let sub_only = format!(
            r"^(?:\d+[.)]\s+|[-•]\s+)?(?:(?:den|de|en|hver|enhver|alle|the|each|any|all|eventuelle|nye?|such)\s+){{0,2}}(?:{SUB})"
        );
        match self {
            Cue::Purpose => vec![
                Rule::new(
                    r"\bformål\w*|\bpurposes?\b|behandlingens (?:karakter|art|genstand)|genstand(?:en)? for (?:behandling\w*|databehandling\w*)|nature of|subject[- ]matter",
                    &[r"behandl\w*|process\w*"],
                    &[r"ret og pligt|træffe beslutning|fastlægge\w* formål|determin\w*|egne formål|own purposes|andre formål|other purposes|formålsbegrænsning|revisionsformål|hensyn\w* til behandlingens (?:karakter|art)|account the nature"],
                ),
                Rule::new(
                    r"\bbehandl\w*|\bprocess\w*",
                    &[],
                    &[r"hensyn\w* til behandlingens (?:karakter|art)|account the nature|ret og pligt"],
                )
                .under(&[r"^(?:[^|]*\bformål\w*|behandlingens (?:genstand|karakter|art)|purpose|nature)"]),
                Rule::new(
                    r"(?:behandlingen|databehandlingen|ydelsen|tjenesten|servicen|the processing|the service) (?:omfatter|består|indebærer|sker med henblik|consists|comprises|includes)|behandl\w* (?:\S+ ){0,8}(?:i forbindelse med (?:levering|leverancen|drift)|med henblik på (?:at levere|levering)|for at (?:kunne )?(?:levere|yde|drive)|in order to provide|to provide the)",
                    &[],
                    &[],
                ),
                Rule::new(
                    r"^(?:behandlingens )?(?:genstand|formål\w*|purpose|subject[- ]matter|nature(?: and purpose)?)(?: og formål)?\s*:\s*\w",
                    &[],
                    &[],
                ),
                Rule::new(
                    r"^(?:[^\s]+ ){0,3}(?:formålet|the purpose|the purposes) (?:[^\s]+ ){0,5}(?:er|omfatter|is|are)\b|(?:behandl\w*|process\w*) (?:[^\s]+ ){0,8}(?:med henblik på|til brug for|in order to|for the purposes? of|so as to|to (?:provide|host|deliver|operate|run|support))\b",
                    &[],
                    &[r"hensyn\w* til behandlingens (?:karakter|art)|account the nature|ret og pligt|egne formål|own purposes|overholde\w*|comply|\bbist\w*|assist\w*"],
                ),
                labelled_list(r"(?:art|karakter|formål\w*|genstand|purpose|nature)"),
            ],
            Cue::DataTypes => vec![Rule::new(
                r"(?:typer?|kategori\w*) personoplysninger|(?:typer?|kategori\w*|art(?:en)?) af (?:personoplysninger|personhenførbare|oplysninger|data)|personoplysningstyper|(?:types?|categories) of (?:personal )?data|almindelige (?:personoplysninger|oplysninger)|følsomme (?:personoplysninger|oplysninger)|særlige kategorier|(?:følgende|disse|nedenstående) (?:typer af |kategorier af )?(?:personoplysninger|kategorier|oplysninger)|behandlingen omfatter (?:de |følgende )?personoplysninger|personoplysninger (?:omfatter|:)|personal data (?:concerned|processed|include|includes|comprise|are|consists?)\b|(?:categories|types) of [^\s]+ data (?:are|include|comprise)\b",
                &[],
                &[r"registreredes rettigheder|data subjects' rights"],
            ),
            // A list of what is typical personal data: a name and a way to reach or
            // identify someone.
            Rule::new(
                r"\b(?:navne?|names?|fulde navn)\b",
                &[],
                &[r"kontaktperson\w*|contact person|underskrift\w*|signature|\bcvr\b|navn på (?:\S+ ){0,2}(?:leverandør|databehandler|underdatabehandler)"],
            )
            .near(&[
                r"e-?mail\w*|adresse\w*|address\w*|telefon\w*|phone\w*|\bcpr\w*|fødselsdato\w*|date of birth|employee numbers?|medarbejdernumre|brugernavn\w*|username\w*|personnumre",
                r"personoplysning\w*|personal data|oplysninger|behandl\w*|process\w*|omfatte\w*|\binclud\w*|concerned|kategori\w*|categor\w*|\btyper?\b|\btypes?\b",
            ]),
            labelled_list(r"(?:typer?|kategori\w*|art) af (?:personoplysninger|oplysninger|data)|personoplysning\w*|(?:types?|categories) of (?:personal )?data|personal data"),
            ],
            Cue::DataSubjects => vec![Rule::new(
                r"(?:kategori\w*|typer?|grupper?) af (?:de )?registrerede|registrerede personer|(?:categories|types) of data subjects|de registrerede(?:,? [^.]{0,60}?,)? (?:er|omfatter|består)|the (?:individuals|persons|people|data subjects) concerned (?:are|include)|registrerede\s*:|data subjects (?:are|include)",
                &[],
                &[],
            ),
            Rule::new(
                r"\w*oplysninger (?:om|på) (?:\S+ ){0,3}(?:medarbejdere|ansatte|kunder|borgere|brugere|slutbrugere|patienter|klienter|elever|børn|kunders)\b|(?:data|information) (?:about|on|of) (?:\S+ ){0,2}(?:employees|customers|end users|users|patients|citizens|pupils|children)\b",
                &[],
                &[r"videregive\w*|fortrolig\w*|tavshed\w*|uvedkommende|disclos\w*"],
            )
            .near(&[r"behandl\w*|omfatte\w*|vedrør\w*|indeholde\w*|følgende|kategori\w*|typer|process\w*|includ\w*"]),
            Rule::new(
                r"\b(?:borgere|medarbejdere|ansatte|kunder|kunders|slutbrugere|patienter|klienter|elever|børn|pårørende|ansøgere|medlemmer|beboere|kursister|studerende|employees|customers|end users|end-users|patients|citizens|pupils|students|children|applicants|members|residents)\b",
                &[],
                &[r"videregive\w*|fortrolig\w*|tavshed\w*|uvedkommende|disclos\w*|\bbetyder\b|\bmeans\b|defineres|henføres til (?:den )?dataansvarlig|(?:medarbejdere|ansatte|employees|staff),? (?:der|som|who|that) (?:\S+ ){0,3}(?:behandl\w*|process\w*|har adgang|have access)"],
            )
            .near(&[r"(?:behandlingen|oplysningerne|personoplysningerne|the processing|the data|the personal data|data subjects?|registrerede|individuals) (?:\S+ ){0,4}(?:vedrører|angår|omfatter|er|concerns?|relates? to|are|include)\b|(?:personoplysninger|oplysninger|data) (?:om|about|on|of)\b"]),
            labelled_list(r"(?:kategori\w*|typer?|grupper?) af (?:de )?registrerede|registrerede|(?:categories|types) of data subjects|data subjects"),
            ],
            Cue::Instructions => vec![Rule::new(
                r"instruks\w*|instruktion\w*|instructions?\b|instrueret|anvisning\w*",
                &[r"behandl\w*|process\w*|\bhandle\w*|\bact\w*|\bbruge?r?\b|\buses?\b|anvende\w*"],
                &[r"instruktionsbeføjelse\w*", &sub_only],
            )
            .near(&[r"\b(?:kun|alene|udelukkende|only|solely|exclusively)\b|dokumentere\w*|documented"])
            .not_under(&[TRANSFER])],
            Cue::Unlawful => vec![Rule::new(
                NOTIFY,
                &[],
                &[&sub_only],
            )
            .near(&[
                r"instruks\w*|instruktion\w*|instructions?\b",
                r"\bstrid\w*|krænk\w*|overtræd\w*|ulovlig\w*|lovstrid\w*|infring\w*|contrary|unlawful|violat\w*|ikke (?:er )?i overensstemmelse",
            ])],
            Cue::Confidentiality => vec![Rule::new(
                r"fortrolig\w*|tavshed\w*|confidential\w*|non-disclosure|diskretion\w*",
                &[],
                &[&sub_only],
            )
            .near(&[r"\bpersoner\w*|\bperson\b|\bpersonale\w*|medarbejder\w*|\bansatte\w*|autoriser\w*|employees?|\bstaff\b|personnel|\bpersons?\b|\benhver\b|anyone|\bany person|\badgang\b|\baccess\b"])],
            Cue::Security => vec![
                Rule::new(
                    r"foranstaltning\w*|\bmeasures?\b",
                    &[r"teknisk\w*|organisatorisk\w*|technical|organi[sz]ational|art\w*\.? ?32\b|sikkerhed\w*|security"],
                    &[ASSISTING, SUB, r"til rådighed|make available|beskrivelse\w* af"],
                )
                .near(&[SECURITY_VERB])
                .not_under(&[AUDIT_HEADING]),
                Rule::new(
                    r"kryptering\w*|krypteret|encrypt\w*|pseudonymiser\w*|adgangsstyring\w*|adgangskontrol\w*|rollestyret|access control|to-?faktor\w*|multifaktor\w*|\bmfa\b|\b2fa\b|firewall\w*",
                    &[r"adgang\w*|access|backup\w*|\blog\w*|firewall\w*|faktor\w*|\bmfa\b|\b2fa\b|overvågning|monitor\w*|\btls\b|sikkerhed\w*|security|foranstaltning\w*|measures?"],
                    &[ASSISTING, SUB],
                )
                .not_under(&[AUDIT_HEADING]),
            ],
            Cue::SubAuthorisation => vec![Rule::new(
                SUB,
                &[],
                &[r"godkendt (?:\S+ ){0,3}følgende|følgende (?:\S+ ){0,3}(?:er )?godkendt|approved the following|following (?:\S+ ){0,3}approved|godkendt ved|ikrafttræden"],
            )
            .near(&[
                r"godkend\w*|tilladelse\w*|samtykke\w*|authori[sz]\w*|autorisation\w*|autoriser\w*|consent\w*|approv\w*|\blov til\b|permission|\bpermit\w*|\ballowed\b",
                r"forudgående|\bprior\b|\buden\b|without|generel\w*|general|specifik\w*|specific|\bskal\b|\bshall\b|\bmust\b|indhente\w*|\bobtain\w*|\bgiver\b|\bgives?\b|\bkun\b|\balene\b|\bonly\b|\bmå\b|\bmay\b|\bikke\b|\bnot\b|\bret til\b",
                r"anvend\w*|benytte\w*|gøre brug|\bbrug\w*|\blade\b|\blet\b|\bbehandle\b|engager\w*|inddrage\w*|overlade\w*|antage\w*|\buse\b|\busing\b|engage\w*|appoint\w*|udskift\w*|tilføj\w*|skift\w*|replac\w*|\badd\w*|\bnye?\b",
            ])
            .not_under(&[AUDIT_HEADING])],
            Cue::SubNotice => vec![Rule::new(
                NOTIFY,
                &[SUB],
                &[r"\bbrud\w*|breach\w*"],
            )
            .near(&[r"ændring\w*|tilføj\w*|udskift\w*|\bnye?\b|erstat\w*|changes?|\badd\w*|replac\w*|planlag\w*|påtænk\w*|intended|tages i brug|engage\w*|\bskift\w*|\bswitch\w*"])],
            Cue::SubObjection => vec![Rule::new(
                r"indsigelse\w*|modsætte\w*|\bobject\w*|protest\w*|\bafvise\w*|\bnægte\w*",
                &[SUB],
                &[],
            )],
            Cue::FlowSame => vec![Rule::new(
                r"(?:\bsamme\b|tilsvarende|svarende til|\bsame\b|equivalent|ikke mindre|identiske?|\bat least\b|as protective|lige så) (?:\S+ ){0,6}(?:\S*forpligtelse\w*|obligations?|\bkrav\w*|vilkår\w*|\bterms\b|\S*beskyttelse\w*|garanti\w*|bestemmelse\w*)|(?:\S*forpligtelse\w*|obligations?|\bkrav\w*|vilkår\w*|\bterms\b|garanti\w*) (?:\S+ ){0,6}(?:svarende til|tilsvarende|som svarer til|equivalent to|no less|ikke mindre|som (?:følger|fremgår) af (?:denne|disse|nærværende))",
                &[],
                &[],
            )
            .near(&[SUB])],
            Cue::FlowContract => vec![Rule::new(
                r"\b(?:indgå\w*|indgået|har|enter\w*|concluded?) (?:\S+ ){0,3}(?:skriftlig\w* )?(?:databehandleraftale\w*|underdatabehandleraftale\w*|data processing agreements?|\bdpa\w*)",
                &[SUB],
                &[],
            )],
            Cue::FlowLiable => vec![Rule::new(
                r"\b(?:fuldt?(?: ud)? )?ansvarlig\w*|\bhæfte\w*|\bhæfter\b|liable|liability|\bansvar\b|responsible",
                &[],
                &[r"berettiget til kompensation|omkostning\w*|\bcosts?\b|betaling|vederlag"],
            )
            .near(&[SUB])],
            Cue::DataSubjectRights => vec![Rule::new(
                r"registrered\w*|data subjects?|den registrerede|indsigt\w*|berigtigelse\w*|dataportabilitet\w*|art\w*\.? ?1[5-9]\b|art\w*\.? ?2[0-2]\b|kapitel (?:3|iii)\b|chapter (?:3|iii)\b",
                &[
                    r"rettighed\w*|anmodning\w*|requests?|\brights?\b|indsigt\w*|berigtigelse|kapitel (?:3|iii)\b|chapter (?:3|iii)\b|art\w*\.? ?1[5-9]\b|art\w*\.? ?2[0-2]\b",
                ],
                &[&sub_only],
            )
            .near(&[r"\bbist\w*|assist\w*|hjælpe?\w*|understøtte\w*|support\w*|besvare\w*|respond\w*|håndter\w*|medvirke\w*|opfylde\w*|videresende\w*|forward\w*"])],
            Cue::Assistance => vec![Rule::new(
                r"art\w*\.? ?3[2-6]\b|konsekvensanalyse\w*|konsekvensvurdering\w*|impact assessments?|\bdpia\b|forudgående høring|prior consultation|høring af|\bhøre datatilsynet|behandlingssikkerhed\w*|security of processing|anmelde\w* (?:\S+ ){0,3}(?:brud|sikkerhedsbrud)|brud på persondatasikkerheden|sikkerhedsbrud\w*|breach\w*",
                &[],
                &[&sub_only],
            )
            .near(&[ASSIST])],
            Cue::Breach => vec![Rule::new(
                NOTIFIES,
                &[r"\bbrud\w*|sikkerhedsbrud\w*|databrud\w*|breach\w*|sikkerhedshændelse\w*|security incidents?|\bhændelse\w*"],
                &[
                    ASSISTING,
                    &sub_only,
                    r"^(?:\S+\s+){0,2}den dataansvarlige (?:skal|anmelder|er)|den dataansvarliges forpligtelse|the controller's (?:obligation|duty)|revisionsformål|incident management|rapportering|hændelseshåndtering",
                ],
            )],
            Cue::Deletion => vec![Rule::new(
                r"\bslet\w*|tilbagelever\w*|returner\w*|destruer\w*|destroy\w*|\bdelete\w*|\breturn\w*|\berase\w*|udlever\w*|tilbagegive\w*|anonymiser\w*",
                &[r"ophør\w*|afslut\w*|\bslut\w*|\bstop\w*|nedlæg\w*|afmeld\w*|\blukke\w*|\bends?\b|\bended\b|terminat\w*|end of|expir\w*|udløb\w*|opsig\w*|ophæv\w*|efter (?:aftalens|kontraktens|samarbejdets|abonnementets)|når (?:aftalen|behandlingen|tjenesten|abonnementet|samarbejdet|kontrakten)|conclusion|cessation|nedlukning|closure|opsagt|ceases?"],
                &[r"registrered\w*|data subjects?|anmodning om sletning|\bhvis\b (?:\S+ ){0,12}(?:er|bliver|is|are|has been|have been) (?:\S+ ){0,2}(?:slettet|returneret|tilbageleveret|deleted|returned)|\bopsiges\b|kan (?:\S+ ){0,3}opsige\w*", &sub_only],
            )],
            Cue::Audit => vec![Rule::new(
                r"revision(?:en|er|erne|ens)?\b|\brevidere\w*|\binspicere\w*|\w*audit(?:s|ing|ed|or|ors|en)?\b|inspektion(?:en|er|erne)?\b|inspections?\b|\btilsyn(?:et|sbesøg\w*)?\b|revisionserklæring\w*|revisorerklæring\w*|\berklæring\w* (?:\S+ ){0,3}(?:isae|soc|revisor\w*)|\bisae\b|\bsoc ?2\b|\bkontrol(?:len|ler|lerne|besøg\w*)?\b|\brevisor(?:en|er|erne)?\b|\bauditors?\b",
                &[],
                &[&sub_only, r"kompensation|omkostning\w*|\bcosts?\b|expenses?|betaling\w*|vederlag\w*|honorar\w*|afholde\w*|\bbærer\b"],
            )
            .not_under(&[SUB])
            .near(&[r"til rådighed|make available|\badgang\b|mulighed\w*|tillade\w*|bidrage\w*|allow\w*|contribute\w*|medvirke\w*|udlevere\w*|fremsende\w*|gennemføre?\w*|foretage\w*|conduct\w*|provide\w*|dokumentation|oplysninger|information|påvise\w*|demonstrate\w*|\bret\b|\bright\b"])],
            Cue::TransferRule => vec![Rule::new(
                TRANSFER,
                &[],
                &[&sub_only],
            )
            .near(&[r"instruks\w*|instruction\w*|garanti\w*|safeguard\w*|standardkontrakt\w*|standard contractual|\bscc\w*|tilstrækkelig\w* beskyttelse\w*|adequacy|\bdpf\b|privacy framework|\bbcr\b|bindende virksomhedsregler|binding corporate|kapitel v\b|chapter v\b|art\w*\.? ?4[4-9]\b|overførselsgrundlag\w*|grundlag\w*|\bbasis\b|\bikke\b|\bnot\b|\bingen\b|\bintet\b|aldrig|\bnever\b|\bno\b|\bkun\b|\balene\b|\bonly\b"])],
            Cue::StaysInEea => vec![Rule::new(
                r"(?:behandles|behandling\w*|opbevar\w*|hoste\w*|hosted|lagr\w*|stored|processed|processing|located|placeret|foregå\w*|foretages|udføres|finder sted|take place|carried out|server\w*|datacent\w*|data cent\w*|\bsker\b) (?:\S+ ){0,6}(?:inden ?for|within|\bi\b|\bin\b|\bpå\b) (?:eu|eøs|eea|the eu|the eea|danmark|denmark|europa|europe|eu/eøs|eu-regionen|eu region|den europæiske union|det europæiske økonomiske samarbejdsområde|egne eu\S*)(?:[\s.,;:)/]|$)",
                &[],
                &[&sub_only, r"instruks\w*|instruction\w*|lovgivning\w*|\blove\b|forskrift\w*"],
            )],
        }
    }
}

/// A list under a label (`Typer af personoplysninger:`, `Art & formål:`): each item states
/// what the label names.
fn labelled_list(label: &str) -> Rule {
    Rule::new(r"\w", &[], &[]).near(&[&format!(
        r"^(?:[^\s]+ ){{0,3}}(?:{label})(?: [^\s]+){{0,3}}\s*:$"
    )])
}

/// Every cue's rules, compiled once.
static RULES: LazyLock<Vec<(Cue, Vec<Rule>)>> =
    LazyLock::new(|| Cue::ALL.iter().map(|&c| (c, c.rules())).collect());

fn rules_of(cue: Cue) -> &'static [Rule] {
    RULES
        .iter()
        .find(|(c, _)| *c == cue)
        .map(|(_, r)| r.as_slice())
        .unwrap_or(&[])
}

static GENERAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"generel\w* (?:og \w+ )?(?:forudgående )?(?:skriftlig\w* )?(?:godkendelse|tilladelse|samtykke|autorisation)|general (?:prior )?(?:written )?(?:authori[sz]ation|consent|approval)",
    )
});
static SPECIFIC: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"specifik\w* (?:og \w+ )?(?:forudgående )?(?:skriftlig\w* )?(?:godkendelse|tilladelse|samtykke|autorisation)|specific (?:prior )?(?:written )?(?:authori[sz]ation|consent|approval)|forudgående specifik|i hvert enkelt tilfælde|in each (?:individual )?case|case[- ]by[- ]case",
    )
});
/// Sub-processors named.
pub(crate) static SUB_WORDS: LazyLock<Regex> = LazyLock::new(|| pattern(SUB));
/// Approval given in advance.
static GIVEN_APPROVAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:giver|gives?|grants?|har givet|has given|hereby) (?:[^\s]+ ){0,4}(?:godkendelse|tilladelse|lov|authori[sz]ation|consent|permission)",
    )
});
/// Approval sought case by case.
static OBTAIN_APPROVAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:indhente|søge|anmode om|bede om|opnå|obtain|seek|request) (?:\S+ ){0,4}(?:godkendelse|tilladelse|samtykke|authori[sz]ation|approval|consent)",
    )
});
/// The regulation's own wording, naming both kinds: says nothing of which applies.
static BOTH_KINDS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"specifik\w* eller generel\w*|generel\w* eller specifik\w*|specific or general|general or specific",
    )
});

/// The sentences of each cue.
struct Found<'a> {
    wording: &'a Wording,
    hits: Vec<(Cue, Vec<usize>)>,
}

impl Found<'_> {
    fn of(&self, cue: Cue) -> &[usize] {
        self.hits
            .iter()
            .find(|(c, _)| *c == cue)
            .map(|(_, h)| h.as_slice())
            .unwrap_or(&[])
    }

    /// Notice of changes with a right to object is the mechanism of a general authorisation
    /// (art. 28(2)), whether or not the word is written.
    fn implied_general(&self) -> bool {
        !self.of(Cue::SubNotice).is_empty() && !self.of(Cue::SubObjection).is_empty()
    }

    fn any(&self, cues: &[Cue]) -> Vec<usize> {
        let set: BTreeSet<usize> = cues
            .iter()
            .flat_map(|&c| self.of(c).iter().copied())
            .collect();
        set.into_iter().collect()
    }
}

impl<'a> Found<'a> {
    /// Every cue's sentences in this wording.
    fn in_wording(wording: &'a Wording) -> Found<'a> {
        Found {
            wording,
            hits: Cue::ALL
                .iter()
                .map(|&c| (c, find(wording, rules_of(c))))
                .collect(),
        }
    }
}

/// Review one agreement.
pub fn review(record: &Record, playbook: &Playbook) -> Review {
    let wording = Wording::of(record);
    let found = Found::in_wording(&wording);
    let terms = key_terms::key_terms(record, &wording, &found_terms(&found));
    let mut items: Vec<ReviewItem> = Item::ALL
        .iter()
        .map(|&item| judge(item, record, &found, &terms, playbook))
        .collect();
    for required in &playbook.required {
        let hits: Vec<usize> = wording
            .sentences
            .iter()
            .enumerate()
            .filter(|(_, s)| required.pattern.is_match(&s.folded))
            .map(|(i, _)| i)
            .collect();
        let mut item = item_from(&wording, &hits, &[]);
        item.id = required.id.clone();
        item.provision = required.provision.clone();
        item.label_da = required.label.clone();
        item.label_en = required.label.clone();
        if item.status == ReviewStatus::Missing {
            item.reason = Some(format!(
                "no clause mentions {} (required by the playbook)",
                required.any.join(", ")
            ));
        }
        items.push(item);
    }
    Review {
        document: ReviewedDocument {
            id: record.id.clone(),
            path: record.source.path.clone(),
            vendor: record.vendor.clone(),
        },
        playbook: playbook.name.clone(),
        items,
        key_terms: terms,
    }
}

/// Why a review found what it found: every cue that held, with its clause and sentence, in
/// document order (`aftale review --explain`).
pub fn explain(record: &Record) -> Vec<String> {
    let wording = Wording::of(record);
    let found = Found::in_wording(&wording);
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (cue, hits) in &found.hits {
        for &s in hits {
            let sentence = &wording.sentences[s];
            lines.push((
                s,
                format!(
                    "{cue:?} [{}] {}",
                    wording.clause_ids[sentence.clause],
                    crate::compare::render::clip(&sentence.text, 160)
                ),
            ));
        }
    }
    lines.sort();
    lines.into_iter().map(|(_, l)| l).collect()
}

/// The sentences key terms are read from.
fn found_terms(found: &Found) -> key_terms::Sentences {
    key_terms::Sentences {
        breach: found.of(Cue::Breach).to_vec(),
        authorisation: found.any(&[Cue::SubAuthorisation, Cue::SubNotice, Cue::SubObjection]),
        objection: found.of(Cue::SubObjection).to_vec(),
        implied_general: found.implied_general(),
    }
}

/// A `present` item from the sentences that state it (and clauses that state it by a fact,
/// such as a list of data categories), or `missing` when there are none.
fn item_from(wording: &Wording, sentences: &[usize], fact_clauses: &[usize]) -> ReviewItem {
    let mut clauses: BTreeSet<usize> = sentences
        .iter()
        .map(|&s| wording.sentences[s].clause)
        .collect();
    clauses.extend(fact_clauses.iter().copied());
    let evidence = sentences
        .first()
        .map(|&s| crate::compare::render::clip(&wording.sentences[s].text, 200));
    ReviewItem {
        id: String::new(),
        provision: String::new(),
        label_da: String::new(),
        label_en: String::new(),
        status: if clauses.is_empty() {
            ReviewStatus::Missing
        } else {
            ReviewStatus::Present
        },
        clauses: clauses
            .into_iter()
            .map(|c| wording.clause_ids[c].clone())
            .collect(),
        evidence,
        reason: None,
    }
}

/// The clauses (indices) a fact names by number.
fn clauses_named(record: &Record, numbers: impl Iterator<Item = Option<String>>) -> Vec<usize> {
    let wanted: BTreeSet<String> = numbers.flatten().collect();
    record
        .clauses
        .iter()
        .enumerate()
        .filter(|(_, c)| c.number.as_ref().is_some_and(|n| wanted.contains(n)))
        .map(|(i, _)| i)
        .collect()
}

fn judge(
    item: Item,
    record: &Record,
    found: &Found,
    terms: &crate::record::KeyTerms,
    playbook: &Playbook,
) -> ReviewItem {
    let wording = found.wording;
    let mut result = match item {
        Item::ProcessingDetails => {
            // A listed category of data counts where the list is a known kind of list: a ticked
            // box, or a category of a known group (art. 6, 9, 10, CPR), since a bulleted list
            // of anything reads as one; a listed category of data subjects unless its box is
            // empty.
            let known =
                |c: &&crate::record::DataCategory| c.checked == Some(true) || c.group.is_some();
            let types_facts = clauses_named(
                record,
                record
                    .data_categories
                    .iter()
                    .filter(known)
                    .map(|c| c.clause.clone()),
            );
            let subject_facts = clauses_named(
                record,
                record
                    .data_subjects
                    .iter()
                    .filter(|c| c.checked != Some(false))
                    .map(|c| c.clause.clone()),
            );
            let parts = [
                ("the purpose or nature", found.of(Cue::Purpose), &[][..]),
                (
                    "the types of personal data",
                    found.of(Cue::DataTypes),
                    &types_facts[..],
                ),
                (
                    "the categories of data subjects",
                    found.of(Cue::DataSubjects),
                    &subject_facts[..],
                ),
            ];
            let sentences = found.any(&[Cue::Purpose, Cue::DataTypes, Cue::DataSubjects]);
            let facts: Vec<usize> = types_facts.iter().chain(&subject_facts).copied().collect();
            let mut result = item_from(wording, &sentences, &facts);
            let stated: Vec<&str> = parts
                .iter()
                .filter(|(_, s, f)| !s.is_empty() || !f.is_empty())
                .map(|(n, _, _)| *n)
                .collect();
            let unstated: Vec<&str> = parts
                .iter()
                .filter(|(_, s, f)| s.is_empty() && f.is_empty())
                .map(|(n, _, _)| *n)
                .collect();
            if !stated.is_empty() && !unstated.is_empty() {
                result.status = ReviewStatus::Weak;
                result.reason = Some(format!(
                    "states {} but not {}",
                    stated.join(" and "),
                    unstated.join(" or ")
                ));
            }
            result
        }
        Item::Instructions => item_from(wording, found.of(Cue::Instructions), &[]),
        Item::UnlawfulInstructionNotice => item_from(wording, found.of(Cue::Unlawful), &[]),
        Item::Confidentiality => item_from(wording, found.of(Cue::Confidentiality), &[]),
        Item::Security => item_from(wording, found.of(Cue::Security), &[]),
        Item::SubprocessorAuthorisation => {
            let rule = found.of(Cue::SubAuthorisation);
            let mut result = item_from(
                wording,
                &found.any(&[Cue::SubAuthorisation, Cue::SubNotice, Cue::SubObjection]),
                &[],
            );
            if rule.is_empty() && !found.implied_general() {
                result.status = ReviewStatus::Missing;
                result.clauses.clear();
                result.evidence = None;
            } else if terms.subprocessor_authorisation.as_deref() == Some("general") {
                let mut gaps = Vec::new();
                if found.of(Cue::SubNotice).is_empty() {
                    gaps.push("no notice of changes".to_string());
                }
                if found.of(Cue::SubObjection).is_empty() {
                    gaps.push("no right to object".to_string());
                }
                if let (Some(notice), Some(min)) = (
                    terms.subprocessor_notice_days,
                    playbook.min_subprocessor_notice_days,
                ) {
                    if notice < min {
                        gaps.push(format!(
                            "notice of changes {} < {} (playbook)",
                            report::days(notice),
                            report::days(min)
                        ));
                    }
                }
                if !gaps.is_empty() {
                    result.status = ReviewStatus::Weak;
                    result.reason = Some(format!("general authorisation with {}", gaps.join(", ")));
                }
            }
            result
        }
        Item::SubprocessorFlowdown => {
            let same = found.of(Cue::FlowSame);
            let contract = found.of(Cue::FlowContract);
            let liable = found.of(Cue::FlowLiable);
            let mut result = item_from(
                wording,
                &found.any(&[Cue::FlowSame, Cue::FlowContract, Cue::FlowLiable]),
                &[],
            );
            let gaps = match (same.is_empty(), liable.is_empty()) {
                (false, false) => None,
                (true, false) => Some("does not impose the same obligations on sub-processors"),
                (false, true) => Some("does not keep the processor liable for its sub-processors"),
                (true, true) if !contract.is_empty() => Some(
                    "says there are agreements with the sub-processors, but not that they carry the same obligations or that the processor stays liable",
                ),
                (true, true) => None,
            };
            if let Some(gap) = gaps {
                result.status = ReviewStatus::Weak;
                result.reason = Some(gap.to_string());
            }
            result
        }
        Item::DataSubjectRights => item_from(wording, found.of(Cue::DataSubjectRights), &[]),
        Item::Assistance32To36 => item_from(wording, found.of(Cue::Assistance), &[]),
        Item::BreachNotification => {
            let mut result = item_from(wording, found.of(Cue::Breach), &[]);
            if let (Some(hours), Some(max)) =
                (terms.breach_notice_hours, playbook.max_breach_notice_hours)
            {
                // "Without undue delay and where possible within 72 hours" binds to the
                // undue delay; the hours are a target.
                if result.status == ReviewStatus::Present
                    && hours > max
                    && !terms.breach_notice_target
                {
                    result.status = ReviewStatus::Weak;
                    result.reason = Some(format!(
                        "breach notice {hours} hours > {max} hours (playbook)"
                    ));
                }
            }
            result
        }
        Item::DeletionReturn => {
            let mut result = item_from(wording, found.of(Cue::Deletion), &[]);
            if let (Some(d), Some(max)) = (terms.deletion_days, playbook.max_deletion_days) {
                if result.status == ReviewStatus::Present && d > max {
                    result.status = ReviewStatus::Weak;
                    result.reason = Some(format!(
                        "deletion or return {} after the end > {} (playbook)",
                        report::days(d),
                        report::days(max)
                    ));
                }
            }
            result
        }
        Item::Audit => item_from(wording, found.of(Cue::Audit), &[]),
        Item::ThirdCountryTransfer => {
            let mut result = item_from(
                wording,
                &found.any(&[Cue::TransferRule, Cue::StaysInEea]),
                &[],
            );
            // A basis stated for transfers in general (`only under the SCC`) covers every row.
            let general_basis = !terms.transfer_bases.is_empty();
            let mut unfounded: Vec<String> = terms
                .transfers
                .iter()
                .filter(|t| t.basis.is_none() && !t.guessed && !general_basis)
                .map(|t| match &t.country {
                    Some(c) => format!("{} ({c})", t.name),
                    None => t.name.clone(),
                })
                .collect();
            // Sub-processors listed where no table could be read: a country outside the
            // EU/EEA named in a sentence about sub-processors.
            let mut named_clauses: Vec<usize> = Vec::new();
            if terms.transfers.is_empty() && !general_basis {
                for s in &wording.sentences {
                    let context = format!("{} {} {}", s.folded, s.lead, wording.headings[s.clause]);
                    if !SUB_WORDS.is_match(&context) {
                        continue;
                    }
                    for code in crate::extract::country::all_named_in(&s.text) {
                        if !crate::extract::country::is_eea(code) {
                            let name = crate::extract::country::danish_name(code).unwrap_or(code);
                            let entry = format!(
                                "a sub-processor in {name} (clause {})",
                                wording.clause_ids[s.clause]
                            );
                            if !unfounded.contains(&entry) {
                                unfounded.push(entry);
                            }
                            named_clauses.push(s.clause);
                        }
                    }
                }
            }
            if result.status == ReviewStatus::Missing
                && !unfounded.is_empty()
                && playbook.transfers_need_basis
            {
                result.status = ReviewStatus::Weak;
                result.clauses = clauses_named(
                    record,
                    record
                        .subprocessors
                        .iter()
                        .filter(|s| s.third_country == Some(true))
                        .map(|s| s.clause.clone()),
                )
                .into_iter()
                .chain(named_clauses.iter().copied())
                .collect::<BTreeSet<usize>>()
                .into_iter()
                .map(|c| wording.clause_ids[c].clone())
                .collect();
                result.reason = Some(format!(
                    "sub-processors outside the EU/EEA and no transfer basis stated: {}",
                    unfounded.join(", ")
                ));
            } else if result.status == ReviewStatus::Present && !unfounded.is_empty() {
                result.reason = Some(format!("no basis stated for {}", unfounded.join(", ")));
            }
            let guessed: Vec<&str> = terms
                .transfers
                .iter()
                .filter(|t| t.basis.is_none() && t.guessed)
                .map(|t| t.name.as_str())
                .collect();
            if !guessed.is_empty() && result.status != ReviewStatus::Weak {
                let note = format!(
                    "{} may be outside the EU/EEA (a guess from the company form; no location stated)",
                    guessed.join(", ")
                );
                result.reason = Some(match result.reason.take() {
                    Some(r) => format!("{r}; {note}"),
                    None => note,
                });
            }
            result
        }
    };
    if result.status == ReviewStatus::Missing {
        result.reason = Some(item.missing_reason().to_string());
    }
    result.id = item.id().to_string();
    result.provision = item.provision().to_string();
    result.label_da = item.label_da().to_string();
    result.label_en = item.label_en().to_string();
    result
}

/// `general`, `specific` or neither, from the sentences on authorising sub-processors.
fn authorisation_kind(wording: &Wording, sentences: &[usize]) -> Option<&'static str> {
    let (mut general, mut specific) = (0, 0);
    for &s in sentences {
        let text = &wording.sentences[s].folded;
        if BOTH_KINDS.is_match(text) {
            continue;
        }
        general += GENERAL.find_iter(text).count();
        specific += SPECIFIC.find_iter(text).count();
    }
    if general == 0 && specific == 0 {
        // No kind named: approval to be obtained for each engagement is specific.
        if sentences
            .iter()
            .any(|&s| OBTAIN_APPROVAL.is_match(&wording.sentences[s].folded))
        {
            return Some("specific");
        }
        // Approval given once for sub-processors in general is a general authorisation.
        if sentences
            .iter()
            .any(|&s| GIVEN_APPROVAL.is_match(&wording.sentences[s].folded))
        {
            return Some("general");
        }
    }
    match (general, specific) {
        (0, 0) => None,
        (g, s) if g > s => Some("general"),
        _ => Some("specific"),
    }
}

#[cfg(test)]
mod tests;
