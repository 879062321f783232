//! Sync as a use case: enroll with the coordinator's one-time code, then learn what the
//! coordinators said (reviews, closed periods) and send the closed outings' and sessions'
//! summaries in batches until nothing is pending, holding back what the server refuses
//! for a closed period, keeping the status (last success, the last error in the unit's
//! language) in the store. The HTTP
//! itself is `crate::sync`'s; the store is lent for a moment at a time, never across
//! the network.

use chrono::Utc;

use super::{Area, Done, Error, Lanterna, Result, ReviewMark, Vault, messages};
use crate::domain::Period;
use crate::store::{Endpoint, SyncStatus};
pub use crate::store::{RefusedKind, RefusedRow};
use crate::sync::{Client, SyncError};
use crate::wire::{Ack, AckStatus, Batch, PersonAck, PersonKey, PersonSummary, Summary};

pub use crate::sync::BATCH;

/// Something that can lend the open database for a moment (the app keeps it behind a
/// lock that must not be held across the network).
pub trait Access {
    /// Runs `f` on the open database; `None` when it is locked away.
    fn with_app<R>(&self, f: impl FnOnce(&mut Lanterna) -> R) -> Option<R>;
}

impl Access for std::sync::Mutex<Lanterna> {
    fn with_app<R>(&self, f: impl FnOnce(&mut Lanterna) -> R) -> Option<R> {
        Some(f(&mut self.lock().unwrap_or_else(|e| e.into_inner())))
    }
}

impl Access for Vault {
    fn with_app<R>(&self, f: impl FnOnce(&mut Lanterna) -> R) -> Option<R> {
        self.with(f)
    }
}

fn lent<R>(app: &impl Access, f: impl FnOnce(&mut Lanterna) -> Result<R>) -> Result<R> {
    app.with_app(f).ok_or(Error::Locked)?
}

/// What the sync screen shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncView {
    /// The server this device is enrolled with.
    pub endpoint: Option<String>,
    /// Last attempt, success and error.
    pub status: SyncStatus,
    /// Summaries waiting to be sent.
    pub pending: u64,
    /// Of those, held back because a coordinator closed their period.
    pub closed: u64,
    /// The outings, sessions and deletions whose revision the server refused, and why.
    pub refused: Vec<RefusedRow>,
    /// Addresses the user allowed to sync over plain http.
    pub http_allowed: Vec<String>,
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Summaries the server stored.
    pub stored: usize,
    /// Summaries it already had.
    pub ignored: usize,
    /// Periods whose persons were sent.
    pub periods: usize,
    /// Outings and sessions a coordinator returned to correct (their revision on the
    /// phone is the one returned).
    pub returned: usize,
    /// Summaries held back, still pending, because a coordinator closed their period.
    pub closed: usize,
    /// Periods' persons held back for the same reason.
    pub closed_persons: usize,
    /// Summaries the server refused in this sync (marked, not sent again).
    pub refused: usize,
    /// Periods' persons it refused.
    pub refused_persons: usize,
}

/// How long the background sync waits, with nothing to send, before it asks the server
/// again for the coordinators' feedback.
pub const FEEDBACK_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

impl Lanterna {
    /// The sync endpoint, if enrolled.
    pub fn sync_endpoint(&self) -> Result<Option<Endpoint>> {
        Ok(self.store.sync_endpoint()?)
    }

    /// Keeps the endpoint and this device's token.
    pub fn set_sync_endpoint(&mut self, endpoint: &Endpoint) -> Result<Done<()>> {
        self.store.set_sync_endpoint(endpoint)?;
        Ok(Done::new((), &[Area::Sync]))
    }

    /// The last sync's status.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(self.store.sync_status()?)
    }

    /// Summaries waiting to be sent.
    pub fn pending_count(&self) -> Result<u64> {
        Ok(self.store.pending_count()?)
    }

    /// Up to `limit` summaries to send: what changed since the server last acknowledged it.
    pub fn pending_summaries(&self, limit: usize) -> Result<Vec<Summary>> {
        Ok(self.store.pending_summaries(limit)?)
    }

    /// Keeps the periods the server published (a new one is filled from the contacts).
    pub fn set_named_periods(&mut self, periods: &[(String, Period)]) -> Result<Done<()>> {
        self.store.set_named_periods(periods)?;
        Ok(Done::new((), &[Area::Sync]))
    }

    /// Persons of periods whose counts changed since last sent (none while an outing is open).
    pub fn pending_person_summaries(&mut self, limit: usize) -> Result<Vec<PersonSummary>> {
        Ok(self.store.pending_person_summaries(limit)?)
    }

    /// Records the server's acknowledgements of persons: refused ones are marked, and that
    /// revision is not sent again.
    pub fn mark_persons_synced(&mut self, acks: &[PersonAck]) -> Result<Done<()>> {
        let (refused, taken): (Vec<PersonAck>, Vec<PersonAck>) =
            acks.iter().partition(|a| a.status == AckStatus::Refused);
        self.store.mark_persons_synced(&taken)?;
        self.store.mark_persons_refused(&refused)?;
        Ok(Done::new((), &[Area::Sync]))
    }

    /// Records the server's acknowledgements.
    pub fn mark_synced(&mut self, acks: &[Ack]) -> Result<Done<()>> {
        self.store.mark_synced(acks)?;
        Ok(Done::new((), &[Area::Sync]))
    }

    /// Summaries that can be sent now: pending, and neither held back for a closed period
    /// nor refused by the server.
    pub fn sendable_count(&self) -> Result<u64> {
        let held = self.store.closed_counts()?.0 + self.store.refused_counts()?.0;
        Ok(self.store.pending_count()?.saturating_sub(held))
    }

    /// The outings, sessions and deletions whose revision the server refused, and why.
    pub fn refused_summaries(&self) -> Result<Vec<RefusedRow>> {
        Ok(self.store.refused_summaries()?)
    }

    /// The addresses allowed to sync over plain http (`host` or `host:port`).
    pub fn http_allowed(&self) -> Result<Vec<String>> {
        Ok(self.store.http_allowed()?)
    }

    /// Replaces the addresses allowed over plain http from the Settings field: `host` or
    /// `host:port`, separated by commas or spaces; anything else is refused.
    pub fn set_http_allowed(&mut self, text: &str) -> Result<Done<Vec<String>>> {
        let mut hosts = Vec::new();
        for h in text.split([',', ' ', '\n']).map(str::trim).filter(|h| !h.is_empty()) {
            let ok = reqwest::Url::parse(&format!("http://{h}/"))
                .ok()
                .filter(|u| u.path() == "/" && u.username().is_empty() && u.query().is_none())
                .and_then(|u| u.host_str().map(|host| (host.to_owned(), u.port())))
                .filter(|(host, port)| {
                    let again = match port {
                        Some(p) => format!("{host}:{p}"),
                        None => host.clone(),
                    };
                    again.eq_ignore_ascii_case(h)
                });
            match ok {
                Some(_) => hosts.push(h.to_ascii_lowercase()),
                None => return Err(SyncError::BadUrl { url: h.to_owned() }.into()),
            }
        }
        hosts.dedup();
        self.store.set_http_allowed(&hosts)?;
        Ok(Done::new(hosts, &[Area::Sync]))
    }

    /// Whether to sync now: enrolled, and something can be sent (not held back for a
    /// closed period), or the coordinators' feedback was last asked for over
    /// [`FEEDBACK_EVERY`] ago.
    pub fn sync_due(&self) -> Result<bool> {
        if self.store.sync_endpoint()?.is_none() {
            return Ok(false);
        }
        let sendable = self.sendable_count()? > 0;
        let stale = self.store.sync_status()?.last_attempt.is_none_or(|t| Utc::now() - t >= FEEDBACK_EVERY);
        Ok(sendable || stale)
    }

    /// Everything the sync screen shows, in one load.
    pub fn sync_view(&self) -> Result<SyncView> {
        Ok(SyncView {
            endpoint: self.store.sync_endpoint()?.map(|e| e.url),
            status: self.store.sync_status()?,
            pending: self.store.pending_count()?,
            closed: self.store.closed_counts()?.0,
            refused: self.store.refused_summaries()?,
            http_allowed: self.store.http_allowed()?,
        })
    }

    /// Keeps the outcome of a sync attempt: the error, if any, in the unit's language.
    fn record_sync_outcome(&mut self, error: Option<&Error>) -> Result<Done<()>> {
        let now = Utc::now();
        let mut status = self.store.sync_status().unwrap_or_default();
        status.last_attempt = Some(now);
        match error {
            None => {
                status.last_success = Some(now);
                status.last_error = None;
            }
            Some(e) => status.last_error = Some(messages::message(e, self.store.settings()?.lang)),
        }
        self.store.set_sync_status(&status)?;
        Ok(Done::new((), &[Area::Sync]))
    }
}

/// Enrolls this device and keeps the token in the encrypted store.
pub async fn enroll(app: &impl Access, url: &str, code: &str) -> Result<()> {
    let allowed = lent(app, |a| a.http_allowed())?;
    let client = Client::with_http_allowed(url, &allowed)?;
    let answer = client.enroll(code).await?;
    let endpoint = Endpoint { url: url.trim().trim_end_matches('/').to_owned(), token: answer.token };
    lent(app, |a| a.set_sync_endpoint(&endpoint))?;
    Ok(())
}

/// Sends everything pending; `progress(sent, total)` after each batch. The outcome is
/// kept as the sync status (last success, or the error in the unit's language).
pub async fn sync_all(app: &impl Access, mut progress: impl FnMut(usize, usize)) -> Result<SyncReport> {
    let result = send_pending(app, &mut progress).await;
    // A locked store cannot keep the outcome; the caller still gets it.
    let _ = app.with_app(|a| a.record_sync_outcome(result.as_ref().err()));
    result
}

async fn send_pending(app: &impl Access, progress: &mut impl FnMut(usize, usize)) -> Result<SyncReport> {
    let endpoint = lent(app, |a| a.sync_endpoint())?.ok_or(Error::NotEnrolled)?;
    let allowed = lent(app, |a| a.http_allowed())?;
    let client = Client::with_http_allowed(&endpoint.url, &allowed)?;
    // The periods the coordinators published: their persons are kept cell by cell.
    let published = client.published(&endpoint.token).await?;
    lent(app, |a| a.set_published_mapping_nights(&published.mapping_nights))?;
    let named: Vec<(String, Period)> = published
        .periods
        .into_iter()
        .filter_map(|p| Period::new(p.from, p.to).ok().map(|period| (p.name, period)))
        .collect();
    lent(app, |a| a.set_named_periods(&named))?;
    // What the coordinators said, before sending: a period reopened since the last sync
    // lets what it held back go now.
    match client.feedback(&endpoint.token).await {
        Ok(feedback) => {
            lent(app, |a| a.set_feedback(&feedback))?;
        }
        // A server without consoles yet: nothing to learn, the summaries still go.
        Err(SyncError::Refused { status: 404, .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let total = lent(app, |a| a.pending_count())? as usize;
    let mut report = SyncReport::default();
    let mut sent = 0;
    let mut answered = 0;
    while answered < total / BATCH + 3 {
        let summaries = lent(app, |a| a.pending_summaries(BATCH))?;
        if summaries.is_empty() {
            send_persons(app, &client, &endpoint.token, &mut report).await?;
            let (closed, closed_persons) = lent(app, |a| a.closed_counts())?;
            (report.closed, report.closed_persons) = (closed as usize, closed_persons as usize);
            report.returned =
                lent(app, |a| a.review_marks())?.values().filter(|m| matches!(m, ReviewMark::Returned(_))).count();
            return Ok(report);
        }
        let batch = Batch { summaries, persons: Vec::new() };
        let answer = match client.send_retrying(&endpoint.token, &batch).await {
            Ok(answer) => answer,
            Err(SyncError::Closed { closed, closed_persons }) => {
                // Nothing was stored: hold back what falls in a closed period and send the
                // rest again without it. Each refusal holds back at least one summary of
                // the batch, so this ends.
                let refused: Vec<Summary> = batch.summaries.into_iter().filter(|s| closed.contains(&s.id)).collect();
                if refused.is_empty() {
                    return Err(SyncError::Closed { closed, closed_persons }.into());
                }
                lent(app, |a| a.mark_closed(&refused, &[]))?;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        answered += 1;
        for a in &answer.acks {
            match a.status {
                AckStatus::Stored => report.stored += 1,
                AckStatus::Ignored => report.ignored += 1,
                AckStatus::Refused => report.refused += 1,
            }
        }
        let acked = answer.acks.len();
        lent(app, |a| a.mark_synced(&answer.acks))?;
        sent += acked;
        progress(sent, total.max(sent));
        if acked < batch.summaries.len() {
            return Err(Error::Unacknowledged { missing: batch.summaries.len() - acked, sent: batch.summaries.len() });
        }
    }
    Err(Error::StuckPending)
}

/// Sends the persons of every period whose counts changed, after the outings; those
/// refused for a closed period are held back and the rest sent again without them.
async fn send_persons(app: &impl Access, client: &Client, token: &str, report: &mut SyncReport) -> Result<()> {
    loop {
        let persons = lent(app, |a| a.pending_person_summaries(BATCH))?;
        if persons.is_empty() {
            return Ok(());
        }
        let batch = Batch { summaries: Vec::new(), persons };
        let answer = match client.send_retrying(token, &batch).await {
            Ok(answer) => answer,
            Err(SyncError::Closed { closed, closed_persons }) => {
                let refused: Vec<PersonKey> =
                    batch.persons.iter().map(PersonSummary::key).filter(|k| closed_persons.contains(k)).collect();
                if refused.is_empty() {
                    return Err(SyncError::Closed { closed, closed_persons }.into());
                }
                lent(app, |a| a.mark_closed(&[], &refused))?;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let acked = answer.person_acks.len();
        lent(app, |a| a.mark_persons_synced(&answer.person_acks))?;
        let refused = answer.person_acks.iter().filter(|a| a.status == AckStatus::Refused).count();
        report.refused_persons += refused;
        report.periods += acked - refused;
        if acked < batch.persons.len() {
            return Err(Error::Unacknowledged { missing: batch.persons.len() - acked, sent: batch.persons.len() });
        }
    }
}

/// The last sync in words, for status lines.
pub fn describe(status: &SyncStatus, pending: u64) -> String {
    let when =
        |t: chrono::DateTime<Utc>| t.with_timezone(&chrono_tz::Europe::Rome).format("%d/%m/%Y %H:%M").to_string();
    let mut s = match status.last_success {
        Some(t) => format!("last sync {}", when(t)),
        None => "never synced".to_owned(),
    };
    s.push_str(&format!(", {pending} pending"));
    if let Some(e) = &status.last_error {
        s.push_str(&format!("; last error: {e}"));
    }
    s
}
