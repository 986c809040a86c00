//! The art. 28 checklist: the closed set of items every agreement is checked for, each with its
//! fixed id, the provision it comes from and a Danish and English label.

/// One item of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    ProcessingDetails,
    Instructions,
    UnlawfulInstructionNotice,
    Confidentiality,
    Security,
    SubprocessorAuthorisation,
    SubprocessorFlowdown,
    DataSubjectRights,
    Assistance32To36,
    BreachNotification,
    DeletionReturn,
    Audit,
    ThirdCountryTransfer,
}

impl Item {
    /// Every item, in the order of the checklist.
    pub const ALL: [Item; 13] = [
        Item::ProcessingDetails,
        Item::Instructions,
        Item::UnlawfulInstructionNotice,
        Item::Confidentiality,
        Item::Security,
        Item::SubprocessorAuthorisation,
        Item::SubprocessorFlowdown,
        Item::DataSubjectRights,
        Item::Assistance32To36,
        Item::BreachNotification,
        Item::DeletionReturn,
        Item::Audit,
        Item::ThirdCountryTransfer,
    ];

    /// The fixed id (`breach_notification`), as JSON, CSV and the playbook name it.
    pub fn id(self) -> &'static str {
        self.meta().0
    }

    /// The provision the item comes from.
    pub fn provision(self) -> &'static str {
        self.meta().1
    }

    pub fn label_da(self) -> &'static str {
        self.meta().2
    }

    pub fn label_en(self) -> &'static str {
        self.meta().3
    }

    /// A short column heading for the matrix (three or four letters).
    pub fn short(self) -> &'static str {
        self.meta().4
    }

    /// The item with this id.
    pub fn from_id(id: &str) -> Option<Item> {
        Item::ALL.into_iter().find(|i| i.id() == id)
    }

    /// What is missing when no clause states the item, as a reviewer would say it.
    pub fn missing_reason(self) -> &'static str {
        match self {
            Item::ProcessingDetails => {
                "no clause states the purpose, the types of personal data or the data subjects"
            }
            Item::Instructions => {
                "no clause binds the processor to process only on documented instructions"
            }
            Item::UnlawfulInstructionNotice => {
                "no clause obliges the processor to say when an instruction infringes the law"
            }
            Item::Confidentiality => {
                "no clause commits the persons who process the data to confidentiality"
            }
            Item::Security => {
                "no clause obliges the processor to take technical and organisational measures"
            }
            Item::SubprocessorAuthorisation => {
                "no clause makes sub-processors subject to the controller's prior authorisation"
            }
            Item::SubprocessorFlowdown => {
                "no clause passes the processor's obligations on to sub-processors or keeps it liable for them"
            }
            Item::DataSubjectRights => {
                "no clause obliges the processor to assist with data subjects' requests"
            }
            Item::Assistance32To36 => {
                "no clause obliges the processor to assist with arts. 32-36 (security, breaches, impact assessments)"
            }
            Item::BreachNotification => {
                "no clause obliges the processor to notify the controller of a personal data breach"
            }
            Item::DeletionReturn => {
                "no clause says the data is deleted or returned when the services end"
            }
            Item::Audit => {
                "no clause gives the controller information to demonstrate compliance or a right to audit"
            }
            Item::ThirdCountryTransfer => {
                "no clause limits transfers to third countries or keeps the data in the EU/EEA"
            }
        }
    }

    /// A short Danish heading for a report's column.
    pub fn heading(self) -> &'static str {
        match self {
            Item::ProcessingDetails => "Behandlingens art",
            Item::Instructions => "Instruks",
            Item::UnlawfulInstructionNotice => "Ulovlig instruks",
            Item::Confidentiality => "Fortrolighed",
            Item::Security => "Sikkerhed",
            Item::SubprocessorAuthorisation => "Underdatabehandlere",
            Item::SubprocessorFlowdown => "Videreførte krav",
            Item::DataSubjectRights => "Registreredes rettigheder",
            Item::Assistance32To36 => "Bistand art. 32-36",
            Item::BreachNotification => "Brud",
            Item::DeletionReturn => "Sletning",
            Item::Audit => "Revision",
            Item::ThirdCountryTransfer => "Tredjelande",
        }
    }

    fn meta(
        self,
    ) -> (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        match self {
            Item::ProcessingDetails => (
                "processing_details",
                "GDPR art. 28(3)",
                "behandlingens genstand, formål, typer af oplysninger og registrerede",
                "subject matter, purpose, types of data and data subjects",
                "DET",
            ),
            Item::Instructions => (
                "instructions",
                "GDPR art. 28(3)(a)",
                "behandling kun efter dokumenteret instruks",
                "processing only on documented instructions",
                "INS",
            ),
            Item::UnlawfulInstructionNotice => (
                "unlawful_instruction_notice",
                "GDPR art. 28(3), second subparagraph",
                "underretning om ulovlig instruks",
                "notice of an infringing instruction",
                "ULV",
            ),
            Item::Confidentiality => (
                "confidentiality",
                "GDPR art. 28(3)(b)",
                "fortrolighed for de autoriserede personer",
                "confidentiality of authorised persons",
                "FOR",
            ),
            Item::Security => (
                "security",
                "GDPR art. 28(3)(c), art. 32",
                "behandlingssikkerhed",
                "security of processing",
                "SIK",
            ),
            Item::SubprocessorAuthorisation => (
                "subprocessor_authorisation",
                "GDPR art. 28(2)",
                "godkendelse af underdatabehandlere",
                "authorisation of sub-processors",
                "GOD",
            ),
            Item::SubprocessorFlowdown => (
                "subprocessor_flowdown",
                "GDPR art. 28(4)",
                "samme forpligtelser for underdatabehandlere, databehandleren forbliver ansvarlig",
                "same obligations on sub-processors, processor remains liable",
                "VID",
            ),
            Item::DataSubjectRights => (
                "data_subject_rights",
                "GDPR art. 28(3)(e)",
                "bistand med de registreredes rettigheder",
                "assistance with data subjects' rights",
                "REG",
            ),
            Item::Assistance32To36 => (
                "assistance_32_36",
                "GDPR art. 28(3)(f)",
                "bistand efter artikel 32-36",
                "assistance with arts. 32-36",
                "BIS",
            ),
            Item::BreachNotification => (
                "breach_notification",
                "GDPR art. 33(2)",
                "underretning om brud på persondatasikkerheden",
                "notice of a personal data breach",
                "BRD",
            ),
            Item::DeletionReturn => (
                "deletion_return",
                "GDPR art. 28(3)(g)",
                "sletning og tilbagelevering ved ophør",
                "deletion or return at the end",
                "SLE",
            ),
            Item::Audit => (
                "audit",
                "GDPR art. 28(3)(h)",
                "oplysninger, revision og inspektion",
                "information, audits and inspections",
                "REV",
            ),
            Item::ThirdCountryTransfer => (
                "third_country_transfer",
                "GDPR chapter V",
                "overførsel til tredjelande",
                "transfers to third countries",
                "TRE",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Item;

    #[test]
    fn ids_and_short_names_are_unique_and_round_trip() {
        let mut ids: Vec<&str> = Item::ALL.iter().map(|i| i.id()).collect();
        let mut shorts: Vec<&str> = Item::ALL.iter().map(|i| i.short()).collect();
        ids.sort();
        ids.dedup();
        shorts.sort();
        shorts.dedup();
        assert_eq!(ids.len(), Item::ALL.len());
        assert_eq!(shorts.len(), Item::ALL.len());
        for item in Item::ALL {
            assert_eq!(Item::from_id(item.id()), Some(item));
        }
    }
}
