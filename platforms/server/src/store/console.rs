//! The coordinators' store, written once for both backends on [`Tx`]: accounts with a
//! scope, sign-in links, sessions and API tokens (hashes only), projects, reviews of
//! shifts, closed periods, targets, freshness and the append-only audit trail. Every
//! change that the audit trail must show is written to it in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use lanterna::domain::{Activity, Province};
use lanterna::wire::{Batch, ClosedPeriod, Feedback, FeedbackResponse, ReturnReason, ReviewState, Summary};
use serde::Serialize;
use uuid::Uuid;

use super::sql::{Tx, Val, placeholders};
use super::{Backend, Device, Result, Row, Statuses, StoreError, Stored};

/// Who the command line acts as in the audit trail.
pub const SERVER_ADMIN: &str = "server admin";

/// What a coordinator may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Scope {
    /// Every unit.
    All,
    /// One unit.
    Unit(Uuid),
    /// The units of one project.
    Project(Uuid),
}

impl Scope {
    /// As stored: `all`, `unit:ID` or `project:ID`.
    pub fn code(&self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Unit(u) => format!("unit:{u}"),
            Scope::Project(p) => format!("project:{p}"),
        }
    }

    /// Parses a stored scope.
    pub fn parse(s: &str) -> Result<Scope> {
        let bad = || StoreError::Db(format!("scope '{s}': expected all, unit:ID or project:ID"));
        match s.split_once(':') {
            None if s == "all" => Ok(Scope::All),
            Some(("unit", id)) => Ok(Scope::Unit(Uuid::parse_str(id).map_err(|_| bad())?)),
            Some(("project", id)) => Ok(Scope::Project(Uuid::parse_str(id).map_err(|_| bad())?)),
            _ => Err(bad()),
        }
    }
}

/// A coordinator's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coordinator {
    /// Its id.
    pub id: Uuid,
    /// Their name (unique among accounts not revoked).
    pub name: String,
    /// What they see.
    pub scope: Scope,
    /// When the account was added.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Whether a password was set (from a sign-in link).
    pub has_password: bool,
}

/// A console session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Its coordinator.
    pub coordinator: Coordinator,
    /// The token every form of the session carries.
    pub csrf: String,
    /// When it began.
    pub created_at: DateTime<Utc>,
    /// Its last request.
    pub seen_at: DateTime<Utc>,
}

/// An API token of a coordinator (its hash is kept, never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Its id (to revoke it).
    pub id: Uuid,
    /// Its coordinator.
    pub coordinator: Uuid,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A project: a call for proposals with its partner units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its units.
    pub units: Vec<Uuid>,
}

/// Where a shift is in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShiftState {
    /// Its current revision has no review yet.
    ToReview,
    /// Its current revision was approved.
    Approved,
    /// Its current revision was returned to the unit.
    Returned,
}

impl ShiftState {
    /// Every state.
    pub const ALL: [ShiftState; 3] = [ShiftState::ToReview, ShiftState::Approved, ShiftState::Returned];

    /// Its code in URLs.
    pub fn code(self) -> &'static str {
        match self {
            ShiftState::ToReview => "to_review",
            ShiftState::Approved => "approved",
            ShiftState::Returned => "returned",
        }
    }

    /// Parses a code.
    pub fn parse(s: &str) -> Option<ShiftState> {
        ShiftState::ALL.into_iter().find(|x| x.code() == s)
    }

    fn of(state: Option<ReviewState>) -> ShiftState {
        match state {
            None => ShiftState::ToReview,
            Some(ReviewState::Approved) => ShiftState::Approved,
            Some(ReviewState::Returned) => ShiftState::Returned,
        }
    }
}

/// A review as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// The revision reviewed.
    pub revision: u32,
    /// Approved or returned.
    pub state: ReviewState,
    /// Why it was returned.
    pub reason: Option<ReturnReason>,
    /// Who reviewed it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A synced outing or session as the console reviews it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shift {
    /// The summary and its unit.
    pub stored: Stored,
    /// The device that sent its current revision (unknown for summaries of schema 2).
    pub device: Option<Uuid>,
    /// When its current revision arrived.
    pub received_at: DateTime<Utc>,
    /// Where it is in review.
    pub state: ShiftState,
    /// The reason of a return.
    pub reason: Option<ReturnReason>,
}

/// Which shifts to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShiftFilter {
    /// The units of the coordinator's scope (None: all).
    pub units: Option<Vec<Uuid>>,
    /// One of them.
    pub unit: Option<Uuid>,
    /// One activity.
    pub activity: Option<Activity>,
    /// One province.
    pub province: Option<Province>,
    /// Dates.
    pub from: Option<NaiveDate>,
    /// Dates.
    pub to: Option<NaiveDate>,
    /// One state.
    pub state: Option<ShiftState>,
    /// At most this many (newest first).
    pub limit: u32,
    /// Skipping this many.
    pub offset: u32,
}

/// What a closing covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Closed {
    /// One unit.
    Unit(Uuid),
    /// Every unit of a project.
    Project(Uuid),
}

/// A period closed by a coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closing {
    /// Its id.
    pub id: Uuid,
    /// For whom.
    pub closed: Closed,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Who closed it.
    pub closed_by: String,
    /// When.
    pub closed_at: DateTime<Utc>,
    /// Who reopened it.
    pub reopened_by: Option<String>,
    /// When.
    pub reopened_at: Option<DateTime<Utc>>,
}

/// An expected value of a project's indicator over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The project.
    pub project: Uuid,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The indicator's code.
    pub indicator: String,
    /// `intermediate` or `final`.
    pub stage: String,
    /// The value expected.
    pub value: u64,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Its place in the trail.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who: a coordinator's name or [`SERVER_ADMIN`].
    pub actor: String,
    /// What, as a code (`review.return`, `period.close`, ...).
    pub action: String,
    /// On what.
    pub subject: String,
    /// More, in words.
    pub detail: String,
}

/// How fresh a device's data is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Freshness {
    /// The unit.
    pub unit: Uuid,
    /// The device.
    pub device: Uuid,
    /// When it enrolled.
    pub enrolled_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Its last accepted batch.
    pub last_sync: Option<DateTime<Utc>>,
    /// Its shifts still to review.
    pub to_review: u64,
}

/// Runs `f` in one transaction of the backend.
pub(crate) fn in_tx<T>(b: &dyn Backend, write: bool, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    b.with_tx(write, &mut |tx| {
        let f = f.take().ok_or_else(|| StoreError::Db("a transaction ran twice".into()))?;
        out = Some(f(tx)?);
        Ok(())
    })?;
    out.ok_or_else(|| StoreError::Db("a transaction did not run".into()))
}

/// Appends to the audit trail inside `tx`.
pub(crate) fn audit(tx: &mut dyn Tx, actor: &str, action: &str, subject: &str, detail: &str) -> Result<()> {
    tx.exec(
        "INSERT INTO audit (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
        &[Utc::now().into(), actor.into(), action.into(), subject.into(), detail.into()],
    )?;
    Ok(())
}

const COORDINATOR_COLUMNS: &str = "c.id, c.name, c.scope, c.created_at, c.revoked_at, c.password_hash IS NOT NULL";

fn coordinator(r: &[Val]) -> Result<Coordinator> {
    Ok(Coordinator {
        id: r[0].uuid()?,
        name: r[1].text()?,
        scope: Scope::parse(&r[2].text()?)?,
        created_at: r[3].time()?,
        revoked_at: r[4].opt_time()?,
        has_password: r[5].bool()?,
    })
}

fn review_state(s: &str) -> Result<ReviewState> {
    match s {
        "approved" => Ok(ReviewState::Approved),
        "returned" => Ok(ReviewState::Returned),
        other => Err(StoreError::Db(format!("review state '{other}'"))),
    }
}

fn state_code(s: ReviewState) -> &'static str {
    match s {
        ReviewState::Approved => "approved",
        ReviewState::Returned => "returned",
    }
}

fn reason(v: &Val) -> Result<Option<ReturnReason>> {
    v.opt_text()?
        .map(|s| ReturnReason::parse(&s).ok_or_else(|| StoreError::Db(format!("return reason '{s}'"))))
        .transpose()
}

fn closing(r: &[Val]) -> Result<Closing> {
    let closed = match (r[1].opt_uuid()?, r[2].opt_uuid()?) {
        (Some(u), _) => Closed::Unit(u),
        (None, Some(p)) => Closed::Project(p),
        (None, None) => return Err(StoreError::Db("a closing of nobody".into())),
    };
    Ok(Closing {
        id: r[0].uuid()?,
        closed,
        from: r[3].date()?,
        to: r[4].date()?,
        closed_by: r[5].text()?,
        closed_at: r[6].time()?,
        reopened_by: r[7].opt_text()?,
        reopened_at: r[8].opt_time()?,
    })
}

const CLOSING_COLUMNS: &str =
    "id, unit_id, project_id, date_from, date_to, closed_by, closed_at, reopened_by, reopened_at";

/// The periods closed now for `unit`, directly or through a project.
fn closed_for(tx: &mut dyn Tx, unit: Uuid) -> Result<Vec<ClosedPeriod>> {
    let rows = tx.rows(
        "SELECT date_from, date_to FROM closings WHERE reopened_at IS NULL
           AND (unit_id = $1 OR project_id IN (SELECT project_id FROM project_units WHERE unit_id = $1))
         ORDER BY date_from, date_to",
        &[unit.into()],
    )?;
    rows.iter().map(|r| Ok(ClosedPeriod { from: r[0].date()?, to: r[1].date()? })).collect()
}

/// Inside a device's batch transaction, before anything is written: the summaries and
/// periods' persons that would change a closed period. A summary changes what the server
/// has when its revision is higher than the stored one (or it is new).
pub(crate) fn refuse_closed(tx: &mut dyn Tx, device: &Device, batch: &Batch) -> Result<()> {
    tx.lock_unit(device.unit, false)?;
    let closed = closed_for(tx, device.unit)?;
    if closed.is_empty() {
        return Ok(());
    }
    let mut summaries = Vec::new();
    for s in &batch.summaries {
        let stored = tx.row("SELECT revision, date FROM summaries WHERE id = $1", &[s.id.into()])?;
        let (newer, dates) = match &stored {
            Some(r) => (r[0].int()? < i64::from(s.revision), vec![s.date, r[1].date()?]),
            None => (true, vec![s.date]),
        };
        // A revision that moves an outing out of a closed period changes that period too.
        if newer && dates.iter().any(|d| closed.iter().any(|c| c.contains(*d))) {
            summaries.push(s.id);
        }
    }
    let mut persons = Vec::new();
    for p in &batch.persons {
        if !closed.iter().any(|c| c.from <= p.from && p.to <= c.to) {
            continue;
        }
        let stored = tx.row(
            "SELECT revision FROM person_summaries WHERE device_id = $1 AND date_from = $2 AND date_to = $3
               AND activity = $4 AND province = $5",
            &[device.id.into(), p.from.into(), p.to.into(), p.activity.code().into(), p.province.code().into()],
        )?;
        if stored.map(|r| r[0].int()).transpose()?.is_none_or(|rev| rev < i64::from(p.revision)) {
            persons.push(p.key());
        }
    }
    if summaries.is_empty() && persons.is_empty() { Ok(()) } else { Err(StoreError::Closed { summaries, persons }) }
}

/// Inside a device's batch transaction, after it was written: which device sent the
/// summaries it stored, and when the device last synced.
pub(crate) fn note_sync(tx: &mut dyn Tx, device: &Device, summaries: &[Summary], st: &Statuses) -> Result<()> {
    for (s, status) in summaries.iter().zip(&st.summaries) {
        if *status == lanterna::wire::AckStatus::Stored {
            tx.exec("UPDATE summaries SET device_id = $1 WHERE id = $2", &[device.id.into(), s.id.into()])?;
        }
    }
    tx.exec("UPDATE devices SET last_sync_at = $1 WHERE id = $2", &[Utc::now().into(), device.id.into()])?;
    Ok(())
}

/// The console's store, on any backend.
impl dyn Backend {
    /// Appends one line to the audit trail.
    pub fn audit(&self, actor: &str, action: &str, subject: &str, detail: &str) -> Result<()> {
        in_tx(self, true, |tx| audit(tx, actor, action, subject, detail))
    }

    /// The audit trail, newest first.
    pub fn audit_log(&self, limit: u32, offset: u32) -> Result<Vec<AuditEntry>> {
        in_tx(self, false, |tx| {
            let rows = tx.rows(
                "SELECT seq, at, actor, action, subject, detail FROM audit ORDER BY seq DESC LIMIT $1 OFFSET $2",
                &[i64::from(limit).into(), i64::from(offset).into()],
            )?;
            rows.iter()
                .map(|r| {
                    Ok(AuditEntry {
                        seq: r[0].int()?,
                        at: r[1].time()?,
                        actor: r[2].text()?,
                        action: r[3].text()?,
                        subject: r[4].text()?,
                        detail: r[5].text()?,
                    })
                })
                .collect()
        })
    }

    /// Adds a coordinator's account; names are unique among accounts not revoked.
    pub fn add_account(&self, name: &str, scope: Scope, actor: &str) -> Result<Coordinator> {
        in_tx(self, true, |tx| {
            if tx.row("SELECT id FROM coordinators WHERE name = $1 AND revoked_at IS NULL", &[name.into()])?.is_some() {
                return Err(StoreError::Conflict(format!(
                    "a coordinator named '{name}' exists already (lanterna-server coordinator list)"
                )));
            }
            let c = Coordinator {
                id: Uuid::new_v4(),
                name: name.to_owned(),
                scope,
                created_at: Utc::now(),
                revoked_at: None,
                has_password: false,
            };
            // The column of schema 1 wants a unique token hash: a value no SHA-256 hex can be.
            tx.exec(
                "INSERT INTO coordinators (id, name, token_hash, created_at, scope) VALUES ($1, $2, $3, $4, $5)",
                &[
                    c.id.into(),
                    name.into(),
                    format!("account:{}", c.id).into(),
                    c.created_at.into(),
                    scope.code().into(),
                ],
            )?;
            audit(tx, actor, "coordinator.add", name, &format!("scope {}", scope.code()))?;
            Ok(c)
        })
    }

    /// Adds a coordinator who sees every unit, with one API token (its hash): what
    /// schema 1's coordinators were.
    pub fn add_coordinator(&self, name: &str, token_hash: &str) -> Result<Uuid> {
        let c = self.add_account(name, Scope::All, SERVER_ADMIN)?;
        self.add_api_token(&c, token_hash, SERVER_ADMIN)?;
        Ok(c.id)
    }

    /// Every coordinator, by name.
    pub fn coordinators(&self) -> Result<Vec<Coordinator>> {
        in_tx(self, false, |tx| {
            let rows = tx.rows(
                &format!("SELECT {COORDINATOR_COLUMNS} FROM coordinators c ORDER BY c.name, c.created_at"),
                &[],
            )?;
            rows.iter().map(|r| coordinator(r)).collect()
        })
    }

    /// The unit `id`, if there is one.
    pub fn unit(&self, id: Uuid) -> Result<Option<super::Unit>> {
        in_tx(self, false, |tx| {
            tx.row("SELECT id, name, created_at FROM units WHERE id = $1", &[id.into()])?
                .map(|r| Ok(super::Unit { id: r[0].uuid()?, name: r[1].text()?, created_at: r[2].time()? }))
                .transpose()
        })
    }

    /// The coordinator not revoked with this name.
    pub fn coordinator_named(&self, name: &str) -> Result<Option<Coordinator>> {
        in_tx(self, false, |tx| {
            tx.row(
                &format!("SELECT {COORDINATOR_COLUMNS} FROM coordinators c WHERE c.name = $1 AND c.revoked_at IS NULL"),
                &[name.into()],
            )?
            .map(|r| coordinator(&r))
            .transpose()
        })
    }

    /// The coordinator not revoked with this name and their password hash, for signing in.
    pub fn password_of(&self, name: &str) -> Result<Option<(Coordinator, String)>> {
        in_tx(self, false, |tx| {
            let row = tx.row(
                &format!(
                    "SELECT {COORDINATOR_COLUMNS}, c.password_hash FROM coordinators c
                     WHERE c.name = $1 AND c.revoked_at IS NULL AND c.password_hash IS NOT NULL"
                ),
                &[name.into()],
            )?;
            row.map(|r| Ok((coordinator(&r)?, r[6].text()?))).transpose()
        })
    }

    /// Revokes an account: its sessions end, its API tokens stop working.
    pub fn revoke_coordinator(&self, id: Uuid, actor: &str) -> Result<bool> {
        in_tx(self, true, |tx| {
            let now = Utc::now();
            let Some(name) =
                tx.row("SELECT name FROM coordinators WHERE id = $1 AND revoked_at IS NULL", &[id.into()])?
            else {
                return Ok(false);
            };
            tx.exec("UPDATE coordinators SET revoked_at = $1 WHERE id = $2", &[now.into(), id.into()])?;
            tx.exec("DELETE FROM sessions WHERE coordinator_id = $1", &[id.into()])?;
            tx.exec(
                "UPDATE api_tokens SET revoked_at = $1 WHERE coordinator_id = $2 AND revoked_at IS NULL",
                &[now.into(), id.into()],
            )?;
            tx.exec(
                "UPDATE sign_in_links SET used_at = $1 WHERE coordinator_id = $2 AND used_at IS NULL",
                &[now.into(), id.into()],
            )?;
            audit(tx, actor, "coordinator.revoke", &name[0].text()?, "")?;
            Ok(true)
        })
    }

    /// Keeps a one-time sign-in link (its hash) for a coordinator until `expires_at`;
    /// `why` is `invite` or `reset`.
    pub fn add_sign_in_link(
        &self,
        coordinator: &Coordinator,
        link_hash: &str,
        expires_at: DateTime<Utc>,
        why: &str,
        actor: &str,
    ) -> Result<()> {
        in_tx(self, true, |tx| {
            tx.exec(
                "INSERT INTO sign_in_links (link_hash, coordinator_id, expires_at) VALUES ($1, $2, $3)",
                &[link_hash.into(), coordinator.id.into(), expires_at.into()],
            )?;
            audit(
                tx,
                actor,
                &format!("coordinator.link.{why}"),
                &coordinator.name,
                &format!("valid until {expires_at}"),
            )
        })
    }

    /// The coordinator a sign-in link is for, while it is valid and unused.
    pub fn link_holder(&self, link_hash: &str, now: DateTime<Utc>) -> Result<Option<Coordinator>> {
        in_tx(self, false, |tx| link_holder(tx, link_hash, now))
    }

    /// Uses a sign-in link up: the coordinator's password becomes `password_hash` and their
    /// other sessions end. None when the link is not valid.
    pub fn use_link(&self, link_hash: &str, password_hash: &str, now: DateTime<Utc>) -> Result<Option<Coordinator>> {
        in_tx(self, true, |tx| {
            let Some(c) = link_holder(tx, link_hash, now)? else { return Ok(None) };
            tx.exec("UPDATE sign_in_links SET used_at = $1 WHERE link_hash = $2", &[now.into(), link_hash.into()])?;
            tx.exec("UPDATE coordinators SET password_hash = $1 WHERE id = $2", &[password_hash.into(), c.id.into()])?;
            tx.exec("DELETE FROM sessions WHERE coordinator_id = $1", &[c.id.into()])?;
            audit(tx, &c.name, "coordinator.password", &c.name, "password set from a one-time link")?;
            Ok(Some(Coordinator { has_password: true, ..c }))
        })
    }

    /// Starts a session (its id's hash) with its CSRF token.
    pub fn add_session(&self, id_hash: &str, coordinator: Uuid, csrf: &str, now: DateTime<Utc>) -> Result<()> {
        in_tx(self, true, |tx| {
            tx.exec(
                "INSERT INTO sessions (id_hash, coordinator_id, csrf, created_at, seen_at) VALUES ($1, $2, $3, $4, $4)",
                &[id_hash.into(), coordinator.into(), csrf.into(), now.into()],
            )?;
            Ok(())
        })
    }

    /// A session and its coordinator (not revoked).
    pub fn session(&self, id_hash: &str) -> Result<Option<Session>> {
        in_tx(self, false, |tx| {
            let row = tx.row(
                &format!(
                    "SELECT {COORDINATOR_COLUMNS}, s.csrf, s.created_at, s.seen_at FROM sessions s
                     JOIN coordinators c ON c.id = s.coordinator_id WHERE s.id_hash = $1 AND c.revoked_at IS NULL"
                ),
                &[id_hash.into()],
            )?;
            row.map(|r| {
                Ok(Session {
                    coordinator: coordinator(&r)?,
                    csrf: r[6].text()?,
                    created_at: r[7].time()?,
                    seen_at: r[8].time()?,
                })
            })
            .transpose()
        })
    }

    /// Notes a session's request.
    pub fn touch_session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<()> {
        in_tx(self, true, |tx| {
            tx.exec("UPDATE sessions SET seen_at = $1 WHERE id_hash = $2", &[now.into(), id_hash.into()])?;
            Ok(())
        })
    }

    /// Ends a session.
    pub fn end_session(&self, id_hash: &str) -> Result<()> {
        in_tx(self, true, |tx| {
            tx.exec("DELETE FROM sessions WHERE id_hash = $1", &[id_hash.into()])?;
            Ok(())
        })
    }

    /// Adds an API token (its hash) for a coordinator.
    pub fn add_api_token(&self, coordinator: &Coordinator, token_hash: &str, actor: &str) -> Result<Uuid> {
        in_tx(self, true, |tx| {
            let id = Uuid::new_v4();
            tx.exec(
                "INSERT INTO api_tokens (id, coordinator_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
                &[id.into(), coordinator.id.into(), token_hash.into(), Utc::now().into()],
            )?;
            audit(tx, actor, "coordinator.token", &coordinator.name, &format!("API token {id}"))?;
            Ok(id)
        })
    }

    /// A coordinator's API tokens, oldest first.
    pub fn api_tokens(&self, coordinator: Uuid) -> Result<Vec<ApiToken>> {
        in_tx(self, false, |tx| {
            let rows = tx.rows(
                "SELECT id, coordinator_id, created_at, revoked_at FROM api_tokens WHERE coordinator_id = $1
                 ORDER BY created_at",
                &[coordinator.into()],
            )?;
            rows.iter()
                .map(|r| {
                    Ok(ApiToken {
                        id: r[0].uuid()?,
                        coordinator: r[1].uuid()?,
                        created_at: r[2].time()?,
                        revoked_at: r[3].opt_time()?,
                    })
                })
                .collect()
        })
    }

    /// Revokes an API token; false when there is no such token not yet revoked.
    pub fn revoke_api_token(&self, id: Uuid, actor: &str) -> Result<bool> {
        in_tx(self, true, |tx| {
            let n = tx.exec(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                &[Utc::now().into(), id.into()],
            )?;
            if n > 0 {
                audit(tx, actor, "coordinator.token.revoke", &id.to_string(), "")?;
            }
            Ok(n > 0)
        })
    }

    /// The coordinator of an API token, when neither is revoked and the token has not
    /// expired.
    pub fn coordinator_by_token(&self, token_hash: &str) -> Result<Option<Coordinator>> {
        in_tx(self, false, |tx| {
            tx.row(
                &format!(
                    "SELECT {COORDINATOR_COLUMNS} FROM api_tokens t JOIN coordinators c ON c.id = t.coordinator_id
                     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND c.revoked_at IS NULL
                       AND (t.expires_at IS NULL OR t.expires_at > $2)"
                ),
                &[token_hash.into(), Utc::now().into()],
            )?
            .map(|r| coordinator(&r))
            .transpose()
        })
    }

    /// Adds a project; names are unique.
    pub fn add_project(&self, name: &str, actor: &str) -> Result<Project> {
        in_tx(self, true, |tx| {
            if tx.row("SELECT id FROM projects WHERE name = $1", &[name.into()])?.is_some() {
                return Err(StoreError::Conflict(format!("a project named '{name}' exists already")));
            }
            let id = Uuid::new_v4();
            tx.exec(
                "INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3)",
                &[id.into(), name.into(), Utc::now().into()],
            )?;
            audit(tx, actor, "project.add", name, "")?;
            Ok(Project { id, name: name.to_owned(), units: vec![] })
        })
    }

    /// Every project with its units, by name.
    pub fn projects(&self) -> Result<Vec<Project>> {
        in_tx(self, false, |tx| {
            let rows = tx.rows("SELECT id, name FROM projects ORDER BY name", &[])?;
            let mut out = Vec::new();
            for r in rows {
                let id = r[0].uuid()?;
                let units =
                    tx.rows("SELECT unit_id FROM project_units WHERE project_id = $1 ORDER BY unit_id", &[id.into()])?;
                out.push(Project {
                    id,
                    name: r[1].text()?,
                    units: units.iter().map(|u| u[0].uuid()).collect::<Result<_>>()?,
                });
            }
            Ok(out)
        })
    }

    /// Adds a unit to a project (again: nothing changes).
    pub fn add_project_unit(&self, project: &Project, unit: &super::Unit, actor: &str) -> Result<()> {
        in_tx(self, true, |tx| {
            let there = tx.row(
                "SELECT 1 FROM project_units WHERE project_id = $1 AND unit_id = $2",
                &[project.id.into(), unit.id.into()],
            )?;
            if there.is_none() {
                tx.exec(
                    "INSERT INTO project_units (project_id, unit_id) VALUES ($1, $2)",
                    &[project.id.into(), unit.id.into()],
                )?;
                audit(tx, actor, "project.unit", &project.name, &format!("unit {} added", unit.name))?;
            }
            Ok(())
        })
    }

    /// The units a scope sees: None for every unit.
    pub fn units_of(&self, scope: Scope) -> Result<Option<Vec<Uuid>>> {
        match scope {
            Scope::All => Ok(None),
            Scope::Unit(u) => Ok(Some(vec![u])),
            Scope::Project(p) => in_tx(self, false, |tx| {
                let rows = tx.rows("SELECT unit_id FROM project_units WHERE project_id = $1", &[p.into()])?;
                rows.iter().map(|r| r[0].uuid()).collect::<Result<Vec<_>>>().map(Some)
            }),
        }
    }

    /// Shifts, newest first.
    pub fn shifts(&self, f: &ShiftFilter) -> Result<Vec<Shift>> {
        in_tx(self, false, |tx| {
            let mut sql = String::from(SHIFT_SELECT);
            let mut params: Vec<Val> = Vec::new();
            let cond = |sql: &mut String, params: &mut Vec<Val>, c: &str, v: Val| {
                params.push(v);
                sql.push_str(&format!(" AND {c} ${}", params.len()));
            };
            if let Some(units) = &f.units {
                if units.is_empty() {
                    return Ok(vec![]);
                }
                sql.push_str(&format!(" AND s.unit_id IN ({})", placeholders(params.len() + 1, units.len())));
                params.extend(units.iter().map(|u| Val::from(*u)));
            }
            if let Some(u) = f.unit {
                cond(&mut sql, &mut params, "s.unit_id =", u.into());
            }
            if let Some(a) = f.activity {
                cond(&mut sql, &mut params, "s.activity =", a.code().into());
            }
            if let Some(p) = f.province {
                cond(&mut sql, &mut params, "s.province =", p.code().into());
            }
            if let Some(d) = f.from {
                cond(&mut sql, &mut params, "s.date >=", d.into());
            }
            if let Some(d) = f.to {
                cond(&mut sql, &mut params, "s.date <=", d.into());
            }
            let mut sql = format!("SELECT * FROM ({sql}) x");
            match f.state {
                Some(ShiftState::ToReview) => sql.push_str(" WHERE x.review_state IS NULL"),
                Some(s @ (ShiftState::Approved | ShiftState::Returned)) => {
                    params.push(if s == ShiftState::Approved { "approved" } else { "returned" }.into());
                    sql.push_str(&format!(" WHERE x.review_state = ${}", params.len()));
                }
                None => {}
            }
            params.push(i64::from(f.limit.max(1)).into());
            params.push(i64::from(f.offset).into());
            sql.push_str(&format!(
                " ORDER BY x.date DESC, x.received_at DESC, x.id LIMIT ${} OFFSET ${}",
                params.len() - 1,
                params.len()
            ));
            tx.rows(&sql, &params)?.iter().map(|r| shift(r)).collect()
        })
    }

    /// One shift (tombstones included), if the scope's units hold it.
    pub fn shift(&self, id: Uuid, units: Option<&[Uuid]>) -> Result<Option<Shift>> {
        in_tx(self, false, |tx| {
            let row = tx.row(&format!("SELECT * FROM ({SHIFT_SELECT}) x WHERE x.id = $1"), &[id.into()])?;
            let found = row.map(|r| shift(&r)).transpose()?;
            Ok(found.filter(|s| units.is_none_or(|u| u.contains(&s.stored.unit))))
        })
    }

    /// The reviews of a shift, newest first.
    pub fn reviews(&self, id: Uuid) -> Result<Vec<Review>> {
        in_tx(self, false, |tx| {
            let rows = tx.rows(
                "SELECT r.revision, r.state, r.reason, c.name, r.at FROM reviews r
                 JOIN coordinators c ON c.id = r.coordinator_id WHERE r.summary_id = $1 ORDER BY r.id DESC",
                &[id.into()],
            )?;
            rows.iter()
                .map(|r| {
                    Ok(Review {
                        revision: u32::try_from(r[0].int()?).map_err(|e| StoreError::Db(e.to_string()))?,
                        state: review_state(&r[1].text()?)?,
                        reason: reason(&r[2])?,
                        by: r[3].text()?,
                        at: r[4].time()?,
                    })
                })
                .collect()
        })
    }

    /// Approves or returns the current revision of a shift. A revision that is no longer
    /// current is a conflict (the unit sent a newer one meanwhile).
    pub fn review(
        &self,
        id: Uuid,
        revision: u32,
        state: ReviewState,
        why: Option<ReturnReason>,
        by: &Coordinator,
    ) -> Result<()> {
        in_tx(self, true, |tx| {
            let Some(r) = tx.row("SELECT revision FROM summaries WHERE id = $1", &[id.into()])? else {
                return Err(StoreError::NotFound(format!("no shift {id}")));
            };
            if r[0].int()? != i64::from(revision) {
                return Err(StoreError::Conflict(format!(
                    "shift {id} has a newer revision ({}) than the one reviewed ({revision}): look at it again",
                    r[0].int()?
                )));
            }
            let why = if state == ReviewState::Returned { Some(why.unwrap_or(ReturnReason::Other)) } else { None };
            tx.exec(
                "INSERT INTO reviews (summary_id, revision, state, reason, coordinator_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    id.into(),
                    i64::from(revision).into(),
                    state_code(state).into(),
                    why.map(ReturnReason::code).into(),
                    by.id.into(),
                    Utc::now().into(),
                ],
            )?;
            let action = if state == ReviewState::Approved { "review.approve" } else { "review.return" };
            let detail = match why {
                Some(w) => format!("revision {revision}: {}", w.code()),
                None => format!("revision {revision}"),
            };
            audit(tx, &by.name, action, &id.to_string(), &detail)
        })
    }

    /// What a device of `unit` learns at sync: the latest review of each reviewed shift
    /// of the unit, and the periods closed for it.
    pub fn feedback(&self, unit: Uuid) -> Result<FeedbackResponse> {
        in_tx(self, false, |tx| {
            let rows = tx.rows(
                "SELECT r.summary_id, r.revision, r.state, r.reason FROM reviews r
                 WHERE r.id IN (SELECT max(r2.id) FROM reviews r2 JOIN summaries s ON s.id = r2.summary_id
                                WHERE s.unit_id = $1 GROUP BY r2.summary_id)
                 ORDER BY r.summary_id",
                &[unit.into()],
            )?;
            let reviews = rows
                .iter()
                .map(|r| {
                    Ok(Feedback {
                        id: r[0].uuid()?,
                        revision: u32::try_from(r[1].int()?).map_err(|e| StoreError::Db(e.to_string()))?,
                        state: review_state(&r[2].text()?)?,
                        reason: reason(&r[3])?,
                    })
                })
                .collect::<Result<_>>()?;
            Ok(FeedbackResponse { reviews, closed: closed_for(tx, unit)? })
        })
    }

    /// Closes a period for a unit or a project.
    pub fn close_period(
        &self,
        closed: Closed,
        from: NaiveDate,
        to: NaiveDate,
        by: &str,
        subject: &str,
    ) -> Result<Closing> {
        in_tx(self, true, |tx| {
            let units = match closed {
                Closed::Unit(u) => vec![u],
                Closed::Project(p) => {
                    let rows = tx.rows(
                        "SELECT unit_id FROM project_units WHERE project_id = $1 ORDER BY unit_id",
                        &[p.into()],
                    )?;
                    rows.iter().map(|r| r[0].uuid()).collect::<Result<Vec<_>>>()?
                }
            };
            for u in units {
                tx.lock_unit(u, true)?;
            }
            let c = Closing {
                id: Uuid::new_v4(),
                closed,
                from,
                to,
                closed_by: by.to_owned(),
                closed_at: Utc::now(),
                reopened_by: None,
                reopened_at: None,
            };
            let (unit, project) = match closed {
                Closed::Unit(u) => (Some(u), None),
                Closed::Project(p) => (None, Some(p)),
            };
            tx.exec(
                &format!("INSERT INTO closings ({CLOSING_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)"),
                &[c.id.into(), unit.into(), project.into(), from.into(), to.into(), by.into(), c.closed_at.into()],
            )?;
            audit(tx, by, "period.close", subject, &format!("{from}..{to}"))?;
            Ok(c)
        })
    }

    /// Reopens a closing; false when it is not closed (or not there).
    pub fn reopen_period(&self, id: Uuid, by: &str, subject: &str) -> Result<bool> {
        in_tx(self, true, |tx| {
            let n = tx.exec(
                "UPDATE closings SET reopened_by = $1, reopened_at = $2 WHERE id = $3 AND reopened_at IS NULL",
                &[by.into(), Utc::now().into(), id.into()],
            )?;
            if n > 0 {
                audit(tx, by, "period.reopen", subject, &id.to_string())?;
            }
            Ok(n > 0)
        })
    }

    /// Every closing, newest first.
    pub fn closings(&self) -> Result<Vec<Closing>> {
        in_tx(self, false, |tx| {
            let rows = tx.rows(&format!("SELECT {CLOSING_COLUMNS} FROM closings ORDER BY closed_at DESC"), &[])?;
            rows.iter().map(|r| closing(r)).collect()
        })
    }

    /// Sets (or replaces) an expected value.
    pub fn set_target(&self, t: &Target, actor: &str, project: &str) -> Result<()> {
        in_tx(self, true, |tx| {
            let key =
                [t.project.into(), t.from.into(), t.to.into(), t.indicator.as_str().into(), t.stage.as_str().into()];
            tx.exec(
                "DELETE FROM targets WHERE project_id = $1 AND date_from = $2 AND date_to = $3 AND indicator = $4
                   AND stage = $5",
                &key,
            )?;
            let value = i64::try_from(t.value).map_err(|e| StoreError::Db(e.to_string()))?;
            let mut params = key.to_vec();
            params.push(value.into());
            tx.exec(
                "INSERT INTO targets (project_id, date_from, date_to, indicator, stage, value)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &params,
            )?;
            audit(
                tx,
                actor,
                "target.set",
                project,
                &format!("{} {} {}..{}: {}", t.indicator, t.stage, t.from, t.to, t.value),
            )
        })
    }

    /// The expected values of a project.
    pub fn targets(&self, project: Uuid) -> Result<Vec<Target>> {
        in_tx(self, false, |tx| {
            let rows = tx.rows(
                "SELECT project_id, date_from, date_to, indicator, stage, value FROM targets WHERE project_id = $1
                 ORDER BY date_from, date_to, indicator, stage",
                &[project.into()],
            )?;
            rows.iter()
                .map(|r| {
                    Ok(Target {
                        project: r[0].uuid()?,
                        from: r[1].date()?,
                        to: r[2].date()?,
                        indicator: r[3].text()?,
                        stage: r[4].text()?,
                        value: u64::try_from(r[5].int()?).map_err(|e| StoreError::Db(e.to_string()))?,
                    })
                })
                .collect()
        })
    }

    /// Per device of the scope's units: last sync and shifts still to review.
    pub fn freshness(&self, units: Option<&[Uuid]>) -> Result<Vec<Freshness>> {
        in_tx(self, false, |tx| {
            let mut params: Vec<Val> = vec![false.into()];
            let only = match units {
                Some([]) => return Ok(vec![]),
                Some(units) => {
                    params.extend(units.iter().map(|u| Val::from(*u)));
                    format!("WHERE d.unit_id IN ({})", placeholders(2, units.len()))
                }
                None => String::new(),
            };
            let rows = tx.rows(
                &format!(
                    "SELECT d.id, d.unit_id, d.enrolled_at, d.revoked_at, d.last_sync_at,
                        (SELECT count(*) FROM summaries s WHERE s.device_id = d.id AND s.deleted = $1
                           AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.summary_id = s.id AND r.revision = s.revision))
                     FROM devices d {only} ORDER BY d.unit_id, d.enrolled_at"
                ),
                &params,
            )?;
            rows.iter()
                .map(|r| {
                    Ok(Freshness {
                        device: r[0].uuid()?,
                        unit: r[1].uuid()?,
                        enrolled_at: r[2].time()?,
                        revoked_at: r[3].opt_time()?,
                        last_sync: r[4].opt_time()?,
                        to_review: u64::try_from(r[5].int()?).unwrap_or(0),
                    })
                })
                .collect::<Result<Vec<_>>>()
        })
    }
}

fn link_holder(tx: &mut dyn Tx, link_hash: &str, now: DateTime<Utc>) -> Result<Option<Coordinator>> {
    let row = tx.row(
        &format!(
            "SELECT {COORDINATOR_COLUMNS}, l.expires_at FROM sign_in_links l JOIN coordinators c ON c.id = l.coordinator_id
             WHERE l.link_hash = $1 AND l.used_at IS NULL AND c.revoked_at IS NULL"
        ),
        &[link_hash.into()],
    )?;
    let Some(r) = row else { return Ok(None) };
    if r[6].time()? < now {
        return Ok(None);
    }
    coordinator(&r).map(Some)
}

/// A summary with its device, arrival and the review of its current revision.
const SHIFT_SELECT: &str = "SELECT s.id, s.revision, s.deleted, s.activity, s.date, s.shift, s.province, s.comuni,
        s.cells, s.unit_id, s.device_id, s.received_at,
        (SELECT r.state FROM reviews r WHERE r.summary_id = s.id AND r.revision = s.revision ORDER BY r.id DESC LIMIT 1)
          AS review_state,
        (SELECT r.reason FROM reviews r WHERE r.summary_id = s.id AND r.revision = s.revision ORDER BY r.id DESC LIMIT 1)
          AS review_reason, s.facts
     FROM summaries s WHERE 1 = 1";

fn shift(r: &[Val]) -> Result<Shift> {
    let row = Row {
        id: r[0].text()?,
        revision: r[1].int()?,
        deleted: r[2].bool()?,
        activity: r[3].text()?,
        date: r[4].date()?,
        shift: r[5].text()?,
        province: r[6].text()?,
        comuni: r[7].text()?,
        cells: r[8].text()?,
        facts: r[14].text()?,
    };
    let stored = row.summary(&r[9].text()?)?;
    let state = r[12].opt_text()?.map(|s| review_state(&s)).transpose()?;
    Ok(Shift {
        stored,
        device: r[10].opt_uuid()?,
        received_at: r[11].time()?,
        state: ShiftState::of(state),
        reason: reason(&r[13])?,
    })
}
