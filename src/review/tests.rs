use super::*;
use crate::record::SourceFormat;
use crate::source::ReadOptions;

fn reviewed(text: &str) -> Review {
    let record = crate::pipeline::analyse(
        "t.txt",
        text.as_bytes(),
        SourceFormat::Text,
        &ReadOptions::default(),
    )
    .expect("analyse");
    review(&record, &Playbook::default_playbook())
}

fn status(r: &Review, id: &str) -> ReviewStatus {
    r.item(id).expect(id).status
}

#[test]
fn every_pattern_compiles() {
    for cue in Cue::ALL {
        assert!(!cue.rules().is_empty());
    }
    LazyLock::force(&GENERAL);
    LazyLock::force(&SPECIFIC);
    LazyLock::force(&BOTH_KINDS);
}

/// A small agreement in a vendor's own words: every item stated once.
const FULL: &str = "\
1. Formål
Leverandøren behandler personoplysninger om kundens medarbejdere for at levere lønsystemet. \
Behandlingen omfatter navn, e-mail og CPR-nummer.

2. Instruks
Leverandøren behandler alene personoplysninger efter kundens dokumenterede instruks. \
Finder leverandøren, at en instruks er i strid med databeskyttelsesforordningen, underretter \
leverandøren straks kunden.

3. Tavshedspligt
Leverandøren sikrer, at de medarbejdere, der har adgang til oplysningerne, er underlagt \
tavshedspligt.

4. Sikkerhed
Leverandøren gennemfører passende tekniske og organisatoriske foranstaltninger efter artikel 32.

5. Underleverandører
Leverandøren må kun anvende underleverandører med kundens forudgående generelle skriftlige \
godkendelse. Leverandøren varsler kunden 45 dage før en ny underleverandør tages i brug, og \
kunden kan gøre indsigelse. Leverandøren pålægger underleverandøren de samme \
databeskyttelsesforpligtelser og forbliver fuldt ansvarlig over for kunden.

6. Bistand
Leverandøren bistår kunden med at besvare anmodninger fra de registrerede om deres rettigheder. \
Leverandøren bistår kunden med konsekvensanalyser og forudgående høring af Datatilsynet.

7. Brud
Leverandøren underretter kunden uden unødig forsinkelse og senest 24 timer efter at være blevet \
opmærksom på et brud på persondatasikkerheden.

8. Ophør
Ved aftalens ophør sletter leverandøren alle personoplysninger senest 30 dage efter ophøret.

9. Revision
Leverandøren stiller alle oplysninger til rådighed og giver kunden adgang til at foretage \
revision med 14 dages varsel.

10. Tredjelande
Personoplysningerne opbevares udelukkende inden for EU.
";

#[test]
fn an_agreement_in_its_own_words_states_every_item() {
    let r = reviewed(FULL);
    for item in &r.items {
        assert_eq!(item.status, ReviewStatus::Present, "{item:#?}");
        assert!(
            !item.clauses.is_empty() && item.evidence.is_some(),
            "{item:#?}"
        );
    }
    assert_eq!(r.item("breach_notification").expect("item").clauses, ["7"]);
    assert_eq!(r.key_terms.breach_notice_hours, Some(24.0));
    assert_eq!(
        r.key_terms.subprocessor_authorisation.as_deref(),
        Some("general")
    );
    assert_eq!(r.key_terms.subprocessor_notice_days, Some(45.0));
    assert_eq!(r.key_terms.deletion_days, Some(30.0));
}

#[test]
fn a_heading_alone_states_nothing() {
    let text = FULL.replace(
        "Leverandøren underretter kunden uden unødig forsinkelse og senest 24 timer efter at være blevet \
opmærksom på et brud på persondatasikkerheden.",
        "Se bilag 3.",
    );
    let r = reviewed(&text);
    assert_eq!(status(&r, "breach_notification"), ReviewStatus::Missing);
    assert!(r
        .item("breach_notification")
        .and_then(|i| i.reason.as_deref())
        .is_some_and(|reason| reason.contains("breach")));
    // Every other item is still present.
    assert_eq!(
        r.items
            .iter()
            .filter(|i| i.status == ReviewStatus::Missing)
            .count(),
        1
    );
}

#[test]
fn a_duty_laid_on_sub_processors_is_not_the_processors_duty() {
    let text = FULL.replace(
        "Leverandøren underretter kunden uden unødig forsinkelse",
        "Underleverandøren underretter leverandøren uden unødig forsinkelse",
    );
    assert_eq!(
        status(&reviewed(&text), "breach_notification"),
        ReviewStatus::Missing
    );
}

#[test]
fn the_playbook_thresholds_make_stated_items_weak() {
    let slow = FULL
        .replace("senest 24 timer", "senest 72 timer")
        .replace("45 dage før", "14 dage før")
        .replace(" og forbliver fuldt ansvarlig over for kunden", "");
    let r = reviewed(&slow);
    let breach = r.item("breach_notification").expect("item");
    assert_eq!(breach.status, ReviewStatus::Weak);
    assert!(breach
        .reason
        .as_deref()
        .is_some_and(|s| s.contains("72 hours > 48 hours")));
    let auth = r.item("subprocessor_authorisation").expect("item");
    assert_eq!(auth.status, ReviewStatus::Weak, "{auth:#?}");
    assert!(auth
        .reason
        .as_deref()
        .is_some_and(|s| s.contains("14 days < 30 days")));
    assert_eq!(status(&r, "subprocessor_flowdown"), ReviewStatus::Weak);
    // "Where possible within 72 hours" beside "without undue delay" is a target.
    let target = FULL.replace(
        "uden unødig forsinkelse og senest 24 timer",
        "uden unødig forsinkelse og om muligt inden for 72 timer",
    );
    let r = reviewed(&target);
    assert_eq!(status(&r, "breach_notification"), ReviewStatus::Present);
    assert!(r.key_terms.breach_notice_target);
    // A playbook that allows 72 hours accepts them.
    let lenient = Playbook::parse("[breach_notice]\nmax_hours = 72\n", "lenient").expect("parse");
    let record = crate::pipeline::analyse(
        "t.txt",
        slow.as_bytes(),
        SourceFormat::Text,
        &ReadOptions::default(),
    )
    .expect("analyse");
    assert_eq!(
        review(&record, &lenient)
            .item("breach_notification")
            .expect("item")
            .status,
        ReviewStatus::Present
    );
}

#[test]
fn an_english_agreement_is_read_too() {
    let text = "\
1. Processing
1.1 Acme processes personal data of Customer's employees in order to provide the service. The personal data concerned are names, e-mail addresses and payroll data.
2. Instructions
2.1 Acme shall process personal data only on documented instructions from Customer, and shall immediately inform Customer if an instruction infringes the GDPR.
3. Security
3.1 Acme shall implement appropriate technical and organisational measures.
3.2 Acme shall ensure that persons authorised to process the personal data have committed themselves to confidentiality.
4. Breaches
4.1 Acme shall notify Customer without undue delay after becoming aware of a personal data breach.
";
    let r = reviewed(text);
    for id in [
        "processing_details",
        "instructions",
        "unlawful_instruction_notice",
        "security",
        "confidentiality",
        "breach_notification",
    ] {
        assert_eq!(
            status(&r, id),
            ReviewStatus::Present,
            "{id}: {:#?}",
            r.item(id)
        );
    }
    for id in ["audit", "deletion_return", "subprocessor_authorisation"] {
        assert_eq!(status(&r, id), ReviewStatus::Missing, "{id}");
    }
    assert_eq!(r.key_terms.breach_notice.as_deref(), Some("undue_delay"));
}

#[test]
fn playbook_items_are_judged_and_odd_input_does_not_panic() {
    let playbook = Playbook::parse(
        "[[require]]\nid = \"insurance\"\nlabel = \"Forsikring\"\nany = [\"forsikring*\"]\n",
        "p",
    )
    .expect("parse");
    for text in [
        "",
        "\n\n\n",
        "1.",
        "§",
        ":::\n- \n1) ",
        "Bilag A indeholder alt.",
    ] {
        // Odd input reviews to nothing, or is refused before (an empty file, no agreement).
        let Ok(record) = crate::pipeline::analyse(
            "t.txt",
            text.as_bytes(),
            SourceFormat::Text,
            &ReadOptions::default(),
        ) else {
            let mut record = crate::pipeline::analyse(
                "t.txt",
                FULL.as_bytes(),
                SourceFormat::Text,
                &ReadOptions::default(),
            )
            .expect("analyse");
            record.clauses = vec![crate::record::Clause::new(Some("1"), None, text)];
            record.deadlines.clear();
            record.subprocessors.clear();
            record.data_categories.clear();
            record.data_subjects.clear();
            let r = review(&record, &playbook);
            assert!(
                r.items.iter().all(|i| i.status == ReviewStatus::Missing),
                "{text:?}"
            );
            continue;
        };
        let r = review(&record, &playbook);
        assert_eq!(r.items.len(), Item::ALL.len() + 1);
        assert!(r.items.iter().all(|i| i.status == ReviewStatus::Missing));
    }
    let record = crate::pipeline::analyse(
        "t.txt",
        format!("{FULL}\n11. Forsikring\nLeverandøren har tegnet en ansvarsforsikring.\n")
            .as_bytes(),
        SourceFormat::Text,
        &ReadOptions::default(),
    )
    .expect("analyse");
    let r = review(&record, &playbook);
    let insurance = r.item("insurance").expect("item");
    assert_eq!(insurance.status, ReviewStatus::Present);
    assert_eq!(insurance.clauses, ["11"]);
    assert_eq!(insurance.provision, "playbook");
}

#[test]
fn a_basis_is_named_for_transfers_not_for_whatever_stands_overfor_someone() {
    // `overfor` ("towards") folds like `overfør` ("transfer") would: only transfer words count.
    let towards = FULL.replace(
        "Personoplysningerne opbevares udelukkende inden for EU.",
        "Personoplysningerne opbevares udelukkende inden for EU. Leverandøren er ansvarlig overfor \
kunden for at følge standardkontraktbestemmelserne i hovedaftalen.",
    );
    assert!(reviewed(&towards).key_terms.transfer_bases.is_empty());
    let transfer = towards.replace(
        "ansvarlig overfor kunden for at følge",
        "sikrer ved overførsel",
    );
    assert_eq!(reviewed(&transfer).key_terms.transfer_bases, ["SCC"]);
}
