//! Historical emersion logs (identification interviews and helpline reports): one
//! transaction per file, never the same file twice (by its SHA-256, like every import).
//!
//! Rows are stored in date order, then file order, whatever order the file lists them
//! in: what became known at each interview is kept as that day's word, so a person's
//! state is the latest value given of each field however the log was shuffled. A
//! person's code names the same person as in contact imports (the register's import
//! code); a person first met here is added to the register. A person keeps one gender
//! and nationality: a row that describes an earlier person otherwise refuses the file.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use rusqlite::Transaction;
use serde::Serialize;

use super::emersion::{NewInterview, insert_helpline, insert_interview};
use super::persons::{new_person, person_by_code};
use super::records::register_import;
use super::{Result, Store};
use crate::domain::{ContactData, DomainError, rules};
use crate::import::{EmersionRecord, ImportError, InterviewRecord, LineError};

/// What an emersion import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EmersionImportOutcome {
    /// Interviews recorded.
    pub interviews: usize,
    /// Distinct persons interviewed.
    pub persons: usize,
    /// Of them, persons the register did not have before.
    pub new_persons: usize,
    /// Helpline reports recorded.
    pub helpline: usize,
}

/// The person an interview row's code names: the register's (following a merge) when it
/// describes them the same, a new one when the code is new, or the row's error.
fn person_of_row(tx: &Transaction<'_>, r: &InterviewRecord) -> Result<std::result::Result<(i64, bool), LineError>> {
    rules::check_person_code(&r.person)?;
    let known = person_by_code(tx, &r.person)?.map(|p| (p.id, p.gender, p.nationality));
    let Some((id, gender, nationality)) = known else {
        return Ok(Ok((new_person(tx, &ContactData::new(r.gender, r.nationality), Some(&r.person))?, true)));
    };
    let column = if gender != r.gender {
        "gender"
    } else if nationality != r.nationality {
        "nationality"
    } else {
        return Ok(Ok((id, false)));
    };
    Ok(Err(LineError {
        line: r.line,
        column: Some(column.into()),
        message: format!(
            "person {} is {gender} {} in the register: one person keeps one gender and nationality",
            r.person,
            nationality.code()
        ),
    }))
}

impl Store {
    /// Imports an emersion log in one transaction (see the module doc). The outer error
    /// is the store's (the file was already imported, the database failed); the inner one
    /// says which rows disagree with the register, by line and column. Either way nothing
    /// is stored.
    pub fn import_emersion(
        &mut self,
        records: &[EmersionRecord],
        sha256: &str,
    ) -> Result<std::result::Result<EmersionImportOutcome, ImportError>> {
        let today = Utc::now().date_naive();
        for r in records {
            rules::check_date(r.date(), today).map_err(DomainError::from)?;
            if let EmersionRecord::Interview(i) = r {
                rules::check_person_code(&i.person)?;
                if let Some(day) = i.requested {
                    rules::check_date(day, today).map_err(DomainError::from)?;
                }
            }
        }
        let tx = self.write()?;
        register_import(&tx, sha256, records.len())?;
        // Date order, then file order: the order facts become known in.
        let mut order: Vec<&EmersionRecord> = records.iter().collect();
        order.sort_by_key(|r| (r.date(), r.line()));
        let mut ids: HashMap<&str, i64> = HashMap::new();
        let mut persons = BTreeSet::new();
        let mut out = EmersionImportOutcome::default();
        let mut errors = Vec::new();
        for r in order {
            match r {
                EmersionRecord::Interview(i) => {
                    let person = match ids.get(i.person.as_str()) {
                        Some(&id) => id,
                        None => match person_of_row(&tx, i)? {
                            Ok((id, new)) => {
                                out.new_persons += usize::from(new);
                                ids.insert(&i.person, id);
                                id
                            }
                            Err(e) => {
                                errors.push(e);
                                continue;
                            }
                        },
                    };
                    let new = NewInterview {
                        person,
                        date: i.date,
                        province: i.province,
                        kind: i.kind,
                        findings: i.findings,
                        requested: i.requested,
                    };
                    insert_interview(&tx, &new)?;
                    persons.insert(person);
                    out.interviews += 1;
                }
                EmersionRecord::Helpline { report, .. } => {
                    insert_helpline(&tx, report)?;
                    out.helpline += 1;
                }
            }
        }
        if !errors.is_empty() {
            // Dropping the transaction rolls every row back, the import's record too.
            errors.sort_by_key(|e| e.line);
            let truncated = errors.len() > 20;
            errors.truncate(20);
            return Ok(Err(ImportError { errors, truncated }));
        }
        out.persons = persons.len();
        tx.commit()?;
        Ok(Ok(out))
    }
}
