//! Imports as a use case: a CSV file of historical contacts, an indoor log or an emersion
//! log (interviews and helpline reports), read and checked whole first (line and column
//! on the first error, before any database is opened), then stored in one transaction or
//! not at all; the same file is never imported twice.

use std::path::{Path, PathBuf};

use super::{Area, Done, Error, Lanterna, Result};
use crate::import::{
    LogKind, ParsedEmersionLog, ParsedFile, ParsedIndoorLog, log_kind, parse_contacts, parse_emersion, parse_indoor,
};
use crate::store::emersion_import::EmersionImportOutcome;
use crate::store::{ImportOutcome, IndoorImportOutcome};

/// What an import added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    /// Street, labour and desk contacts.
    Contacts(ImportOutcome),
    /// An indoor log: ads, calls and messages, meetings, massage centres.
    Indoor(IndoorImportOutcome),
    /// An emersion log: identification interviews and helpline reports.
    Emersion(EmersionImportOutcome),
    /// Informative group sessions: how many.
    Sessions(usize),
    /// Outings: their team, hours and presences, empty ones.
    Outings(crate::store::OutingsImportOutcome),
}

/// A file read and checked, ready to import.
#[derive(Debug, Clone)]
pub struct ImportFile {
    file: PathBuf,
    content: Content,
}

#[derive(Debug, Clone)]
enum Content {
    Contacts(ParsedFile),
    Indoor(ParsedIndoorLog),
    Emersion(ParsedEmersionLog),
    Sessions(crate::import::ParsedSessionLog),
    Outings(crate::import::ParsedOutingLog),
}

impl ImportFile {
    /// Reads and checks the file at `file` (its kind told by its header).
    pub fn read(file: &Path) -> Result<ImportFile> {
        let bytes = std::fs::read(file).map_err(|source| Error::Read { file: file.to_owned(), source })?;
        ImportFile::parse(file, &bytes)
    }

    /// Checks a file's content; `file` names it in errors.
    pub fn parse(file: &Path, bytes: &[u8]) -> Result<ImportFile> {
        let bad = |error| Error::Import { file: file.to_owned(), error };
        let content = match log_kind(bytes) {
            LogKind::Indoor => Content::Indoor(parse_indoor(bytes).map_err(bad)?),
            LogKind::Emersion => Content::Emersion(parse_emersion(bytes).map_err(bad)?),
            LogKind::Contacts => Content::Contacts(parse_contacts(bytes).map_err(bad)?),
            LogKind::Sessions => Content::Sessions(crate::import::parse_sessions(bytes).map_err(bad)?),
            LogKind::Outings => Content::Outings(crate::import::parse_outings(bytes).map_err(bad)?),
        };
        Ok(ImportFile { file: file.to_owned(), content })
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.file
    }
}

impl Lanterna {
    /// Stores a checked file, all or nothing.
    pub fn import(&mut self, f: &ImportFile) -> Result<Done<Imported>> {
        let refused = |error| Error::ImportRefused { file: f.file.clone(), error };
        Ok(match &f.content {
            Content::Indoor(p) => {
                let outcome = self.store.import_indoor(&p.records, &p.sha256).map_err(refused)?;
                Done::new(Imported::Indoor(outcome), &[Area::Indoor, Area::Sync])
            }
            Content::Contacts(p) => {
                let outcome = self.store.import_records_with(&p.records, &p.outreach, &p.sha256).map_err(refused)?;
                Done::new(Imported::Contacts(outcome), &[Area::Outings, Area::Sync])
            }
            Content::Emersion(p) => {
                // Rows that disagree with the register are the file's errors, by line.
                let outcome = self
                    .store
                    .import_emersion(&p.records, &p.sha256)
                    .map_err(refused)?
                    .map_err(|error| Error::Import { file: f.file.clone(), error })?;
                Done::new(Imported::Emersion(outcome), &[Area::Outings, Area::Sync])
            }
            Content::Sessions(p) => {
                let n = self.store.import_info_sessions(&p.records, &p.sha256).map_err(refused)?;
                Done::new(Imported::Sessions(n), &[Area::Outings, Area::Sync])
            }
            Content::Outings(p) => {
                let outcome = self.store.import_outings(&p.records, &p.sha256).map_err(refused)?;
                Done::new(Imported::Outings(outcome), &[Area::Outings, Area::Sync])
            }
        })
    }
}
