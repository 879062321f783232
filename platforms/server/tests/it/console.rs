//! The coordinators' console over HTTP, as a browser without JavaScript uses it: one-time
//! links, sessions, CSRF, throttled sign-ins, scopes (pages, downloads, API), reviews the
//! phone learns at sync, and periods closed against later revisions.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use lanterna::wire::{Batch, ClosedRefusal, FeedbackResponse, ReturnReason, ReviewState};
use lanterna_server::store::console::{SERVER_ADMIN, Scope};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use uuid::Uuid;

use crate::common::{TestServer, invite, street_summary};

/// A browser: cookies kept by hand (so their attributes can be checked), no redirects
/// followed.
struct Browser {
    http: reqwest::Client,
    base: String,
    cookies: HashMap<String, String>,
    /// Every Set-Cookie header seen.
    seen: Vec<String>,
}

impl Browser {
    fn new(base: &str) -> Browser {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { http, base: base.to_owned(), cookies: HashMap::new(), seen: vec![] }
    }

    fn jar(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, resp: &reqwest::Response) {
        for v in resp.headers().get_all(SET_COOKIE) {
            let v = v.to_str().unwrap().to_owned();
            let (kv, _) = v.split_once(';').unwrap_or((&v, ""));
            let (k, val) = kv.split_once('=').unwrap();
            if val.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), val.to_owned());
            }
            self.seen.push(v);
        }
    }

    async fn get(&mut self, path: &str) -> (StatusCode, String, Option<String>) {
        let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.base) };
        let resp = self.http.get(url).header(COOKIE, self.jar()).send().await.unwrap();
        self.keep(&resp);
        let loc = resp.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_owned());
        (resp.status(), resp.text().await.unwrap(), loc)
    }

    async fn post(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        origin: Option<&str>,
    ) -> (StatusCode, String, Option<String>) {
        let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.base) };
        let mut req = self.http.post(url).header(COOKIE, self.jar()).form(form);
        if let Some(o) = origin {
            req = req.header(ORIGIN, o);
        }
        let resp = req.send().await.unwrap();
        self.keep(&resp);
        let loc = resp.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_owned());
        (resp.status(), resp.text().await.unwrap(), loc)
    }

    /// The value of a hidden input named `csrf` in a page.
    fn csrf(page: &str) -> String {
        let at = page.find("name=\"csrf\" value=\"").expect("a form with a CSRF token") + 19;
        page[at..at + 64].to_owned()
    }
}

/// Sets the password from the link; the browser is then signed in.
async fn accept(browser: &mut Browser, link: &str, password: &str) {
    let (st, page, _) = browser.get(link).await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let csrf = Browser::csrf(&page);
    let (st, body, loc) =
        browser.post(link, &[("csrf", &csrf), ("password", password), ("again", password)], None).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc.as_deref(), Some("/console/shifts"));
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, 10).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_signs_in_reviews_and_closes_within_their_scope() {
    let server = TestServer::start().await;
    let b = server.backend.clone();
    let other = b.add_unit("Unità Brescia").unwrap();
    // One phone of each unit syncs an outing with a cell of 1 and one of 2.
    let (mine, theirs) = (Uuid::new_v4(), Uuid::new_v4());
    let token = server.token(server.unit).await;
    let other_token = server.token(other.id).await;
    let http = reqwest::Client::new();
    let send = |token: String, s: lanterna::wire::Summary| {
        let http = http.clone();
        let url = format!("{}/api/v1/summaries", server.url());
        async move {
            let body = serde_json::to_vec(&Batch { summaries: vec![s], persons: vec![] }).unwrap();
            let resp = http
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            (resp.status(), resp.text().await.unwrap())
        }
    };
    assert_eq!(send(token.clone(), street_summary(mine, 1, day(), 1)).await.0, StatusCode::OK);
    assert_eq!(send(other_token.clone(), street_summary(theirs, 1, day(), 2)).await.0, StatusCode::OK);

    // The link sets a password; a used link is refused.
    let mut anna = Browser::new(&server.url());
    let link = invite(server.backend.as_ref(), "Anna", Scope::Unit(server.unit));
    accept(&mut anna, &link, "una password lunga").await;
    let session = anna.seen.iter().find(|c| c.starts_with("lanterna_console=")).unwrap().clone();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"), "{session}");
    let (st, _, _) = Browser::new(&server.url()).get(&link).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "a link works once");

    // Her scope: her unit's shift, not the other unit's (page, download, filter).
    let (st, page, _) = anna.get("/console/shifts").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains(&mine.to_string()) && !page.contains(&theirs.to_string()), "{page}");
    let (st, _, _) = anna.get(&format!("/console/shifts/{theirs}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _, _) = anna.get(&format!("/console/shifts?unit={}", other.id)).await;
    assert_eq!(st, StatusCode::OK);
    let (st, page, _) = anna.get(&format!("/console/reports?kind=street&period=2024-05&unit={}", other.id)).await;
    assert!(page.contains("outside your scope"), "{st} {page}");
    let (st, csv, _) = anna.get("/console/reports/street.csv?kind=street&period=2024-05").await;
    assert_eq!(st, StatusCode::OK, "{csv}");
    // Exact, as the funder's tables print them: her one contact is a 1, not "<3".
    let (_, page, _) = anna.get("/console/reports?kind=street&period=2024-05").await;
    assert!(!page.contains("&lt;3"), "{page}");
    // Her units as rows (one), as the reports print partners; not in what is published.
    assert!(page.contains("ATTIVITÀ PER UNITÀ") && !page.contains("Unità Brescia</th>"), "{page}");
    let (_, page, _) = anna.get("/console/reports?kind=street&period=2024-05&public=1").await;
    assert!(!page.contains("ATTIVITÀ PER UNITÀ"), "{page}");
    // The network view: every unit, published whatever she asks.
    let (st, page, _) = anna.get("/console/reports?kind=street&period=2024-05&network=1").await;
    assert_eq!(st, StatusCode::OK);
    assert!(!page.contains("<td>1</td>") && !page.contains("<td>2</td>"), "{page}");
    assert!(!page.contains("ATTIVITÀ PER UNITÀ"), "no units as rows in the network view");
    let (_, page, _) = anna.get("/console/reports?kind=services&period=2024-05&public=1").await;
    assert!(page.contains("&lt;3") || !page.contains("<td>1</td>"), "published hides small cells");

    // Returning needs the session's CSRF token, and a same-site origin.
    let (_, page, _) = anna.get(&format!("/console/shifts/{mine}")).await;
    let csrf = Browser::csrf(&page);
    let path = format!("/console/shifts/{mine}/review");
    let form = [
        ("csrf", "0".repeat(64)),
        ("revision", "1".into()),
        ("verdict", "return".into()),
        ("reason", "province".into()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (st, _, _) = anna.post(&path, &form, None).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a wrong CSRF token");
    let good = [("csrf", csrf.as_str()), ("revision", "1"), ("verdict", "return"), ("reason", "province")];
    let (st, _, _) = anna.post(&path, &good, Some("http://evil.example")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a cross-site origin");
    assert!(b.reviews(mine).unwrap().is_empty(), "nothing was reviewed");
    let (st, _, _) = anna.post(&path, &good, Some(&server.url())).await;
    assert_eq!(st, StatusCode::SEE_OTHER);

    // The phone learns it at its next sync; the other unit learns nothing of it.
    let feedback = |token: String| {
        let http = http.clone();
        let url = format!("{}/api/v1/feedback", server.url());
        async move {
            let text = http.get(url).bearer_auth(token).send().await.unwrap().text().await.unwrap();
            serde_json::from_str::<FeedbackResponse>(&text).unwrap()
        }
    };
    let f = feedback(token.clone()).await;
    assert_eq!(f.reviews.len(), 1);
    assert_eq!(
        (f.reviews[0].id, f.reviews[0].state, f.reviews[0].reason),
        (mine, ReviewState::Returned, Some(ReturnReason::Province))
    );
    assert!(feedback(other_token.clone()).await.reviews.is_empty());

    // The unit corrects it: the new revision is to review again; she approves it.
    assert_eq!(send(token.clone(), street_summary(mine, 2, day(), 1)).await.0, StatusCode::OK);
    let (_, page, _) = anna.get("/console/shifts?state=to_review").await;
    assert!(page.contains(&mine.to_string()), "{page}");
    let (_, page, _) = anna.get(&format!("/console/shifts/{mine}")).await;
    let csrf = Browser::csrf(&page);
    let stale = [("csrf", csrf.as_str()), ("revision", "1"), ("verdict", "approve")];
    let (st, _, _) = anna.post(&path, &stale, None).await;
    assert_eq!(st, StatusCode::CONFLICT, "a review of a revision no longer current");
    let ok = [("csrf", csrf.as_str()), ("revision", "2"), ("verdict", "approve")];
    assert_eq!(anna.post(&path, &ok, None).await.0, StatusCode::SEE_OTHER);
    assert_eq!(feedback(token.clone()).await.reviews[0].state, ReviewState::Approved);

    // She closes May for her unit (not for the other): a further revision is refused whole,
    // with the list; the other unit still sends.
    let (_, page, _) = anna.get("/console/periods").await;
    assert!(!page.contains(&format!("unit:{}", other.id)), "only her unit is offered");
    let csrf = Browser::csrf(&page);
    let for_unit = format!("unit:{}", server.unit);
    let (st, _, _) =
        anna.post("/console/periods/close", &[("csrf", &csrf), ("for", &for_unit), ("period", "2024-05")], None).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let for_other = format!("unit:{}", other.id);
    let (_, _, loc) =
        anna.post("/console/periods/close", &[("csrf", &csrf), ("for", &for_other), ("period", "2024-05")], None).await;
    assert!(loc.unwrap().contains("error="), "another unit's period is not hers to close");
    assert!(
        b.closings().unwrap().iter().all(|c| c.closed == lanterna_server::store::console::Closed::Unit(server.unit))
    );
    let (st, body) = send(token.clone(), street_summary(mine, 3, day(), 5)).await;
    assert_eq!(st, StatusCode::CONFLICT, "{body}");
    let refusal: ClosedRefusal = serde_json::from_str(&body).unwrap();
    assert_eq!(refusal.closed, vec![mine]);
    assert!(refusal.error.contains("periodo chiuso dal coordinatore"), "{body}");
    assert_eq!(b.shift(mine, None).unwrap().unwrap().stored.summary.revision, 2, "nothing stored");
    assert_eq!(send(other_token.clone(), street_summary(theirs, 2, day(), 2)).await.0, StatusCode::OK);
    assert_eq!(feedback(token.clone()).await.closed.len(), 1);

    // Reopening lets it through; every step is in the audit trail, with who.
    let closing = b.closings().unwrap().into_iter().find(|c| c.reopened_at.is_none()).unwrap();
    let (st, _, _) = anna.post(&format!("/console/periods/{}/reopen", closing.id), &[("csrf", &csrf)], None).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(send(token.clone(), street_summary(mine, 3, day(), 5)).await.0, StatusCode::OK);
    let actions: Vec<(String, String)> =
        b.audit_log(100, 0).unwrap().into_iter().map(|e| (e.actor, e.action)).collect();
    for action in
        ["coordinator.add", "coordinator.password", "review.return", "review.approve", "period.close", "period.reopen"]
    {
        assert!(actions.iter().any(|(_, a)| a == action), "{action}: {actions:?}");
    }
    assert!(actions.iter().any(|(who, a)| who == "Anna" && a == "period.close"));
    let (_, page, _) = anna.get("/console/audit").await;
    assert!(page.contains("review.return") && page.contains("period.reopen"), "{page}");

    // Signing out ends the session.
    let (_, page, _) = anna.get("/console/units").await;
    let csrf = Browser::csrf(&page);
    assert_eq!(anna.post("/console/sign-out", &[("csrf", &csrf)], None).await.0, StatusCode::SEE_OTHER);
    let (st, _, loc) = anna.get("/console/shifts").await;
    assert_eq!((st, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/console/sign-in")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_throttled_and_needs_its_form() {
    let server = TestServer::start().await;
    let link = invite(server.backend.as_ref(), "Bruno", Scope::All);
    accept(&mut Browser::new(&server.url()), &link, "password di Bruno").await;

    let mut b = Browser::new(&server.url());
    let (_, page, _) = b.get("/console/sign-in").await;
    let csrf = Browser::csrf(&page);
    // Without the form's cookie double, a sign-in is refused even with the right password.
    let mut bare = Browser::new(&server.url());
    let (st, _, _) = bare
        .post("/console/sign-in", &[("csrf", &csrf), ("name", "Bruno"), ("password", "password di Bruno")], None)
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // Five wrong passwords, then even the right one waits.
    for _ in 0..5 {
        let (_, page, _) = b.get("/console/sign-in").await;
        let csrf = Browser::csrf(&page);
        let (st, page, _) =
            b.post("/console/sign-in", &[("csrf", &csrf), ("name", "Bruno"), ("password", "sbagliata")], None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{page}");
    }
    let (_, page, _) = b.get("/console/sign-in").await;
    let csrf = Browser::csrf(&page);
    let (st, page, _) = b
        .post("/console/sign-in", &[("csrf", &csrf), ("name", "Bruno"), ("password", "password di Bruno")], None)
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{page}");
    assert!(page.contains("Troppi tentativi"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_read_only_their_coordinators_scope() {
    let server = TestServer::start().await;
    let b = server.backend.clone();
    let other = b.add_unit("Unità Brescia").unwrap();
    for (unit, n) in [(server.unit, 1), (other.id, 1)] {
        let d = b.devices().unwrap();
        let device = match d.iter().find(|x| x.unit == unit) {
            Some(d) => d.clone(),
            None => {
                server.token(unit).await;
                b.devices().unwrap().into_iter().find(|x| x.unit == unit).unwrap()
            }
        };
        // The phone's persons for May, as it sends them for every calendar month.
        let may = lanterna::wire::PersonSummary {
            from: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 5, 31).unwrap(),
            ..crate::common::persons(lanterna::domain::Activity::Street, 1, n)
        };
        let batch = Batch { summaries: vec![street_summary(Uuid::new_v4(), 1, day(), n)], persons: vec![may] };
        b.store(&device, &batch, Utc::now()).unwrap();
    }
    let c = b.add_account("Carla", Scope::Unit(server.unit), SERVER_ADMIN).unwrap();
    let token = lanterna_server::secret::token();
    let id = b.add_api_token(&c, &lanterna_server::secret::hash(&token), SERVER_ADMIN).unwrap();
    let get = |q: String| {
        let token = token.clone();
        let url = format!("{}{q}", server.url());
        async move {
            let resp = reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap();
            (resp.status(), resp.text().await.unwrap())
        }
    };
    let (st, text) = get("/api/v1/summaries".into()).await;
    assert_eq!(st, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["summaries"].as_array().unwrap().len(), 1, "{text}");
    let (st, _) = get(format!("/api/v1/summaries?unit={}", other.id)).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = get(format!("/api/v1/reports/street?unit={}&format=csv", other.id)).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, csv) = get("/api/v1/reports/street?period=2024-05&format=csv".into()).await;
    assert_eq!(st, StatusCode::OK, "{csv}");
    let resp = reqwest::Client::new()
        .get(format!("{}/api/v1/reports/street?period=2024-05&format=xlsx", server.url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    assert!(resp.bytes().await.unwrap().starts_with(b"PK"), "a zip: the workbook");
    // The network view is published (whole period, small cells hidden); raw summaries
    // never leave the scope.
    let (st, text) = get("/api/v1/reports/street?period=2024-05&network=true".into()).await;
    assert_eq!(st, StatusCode::OK, "{text}");
    assert!(text.contains("\"<3\""), "{text}");
    assert_eq!(
        get("/api/v1/reports/street?from=2024-05-01&to=2024-05-09&network=true".into()).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(get("/api/v1/summaries?network=true".into()).await.0, StatusCode::BAD_REQUEST);
    // One activity published alone could be differenced from all activities: refused.
    let (st, text) = get("/api/v1/reports/services?period=2024-05&public=true&activity=street".into()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("every activity"), "{text}");
    let (st, _) = get("/api/v1/reports/street?format=pdf".into()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    // Revoked: 401 at once.
    assert!(b.revoke_api_token(id, SERVER_ADMIN).unwrap());
    assert_eq!(get("/api/v1/summaries".into()).await.0, StatusCode::UNAUTHORIZED);
}

#[test]
fn the_command_line_adds_projects_accounts_links_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let run = |args: &[&str]| crate::common::server_cli(&db, args);
    assert!(run(&["unit", "add", "Unità Bergamo"]).0);
    assert!(run(&["project", "add", "Bando 2024"]).0);
    let (ok, out, err) = run(&["project", "units", "Bando 2024", "--add", "Unità Bergamo"]);
    assert!(ok, "{err}");
    assert!(out.contains("1 units added"), "{out}");
    // A scope that names nothing is refused, with what was wrong; nothing is added.
    let (ok, _, err) = run(&["coordinator", "add", "Anna", "--scope", "unit:Nessuna"]);
    assert!(!ok && err.contains("no unit 'Nessuna'"), "{err}");
    let (ok, _, err) = run(&["coordinator", "add", "Anna", "--scope", "region:Lombardia"]);
    assert!(!ok && err.contains("--scope"), "{err}");
    // The link is alone on the last line, under the public URL.
    let (ok, out, err) = run(&["coordinator", "add", "Anna", "--scope", "project:Bando 2024"]);
    assert!(ok, "{err}");
    let link = out.lines().last().unwrap();
    assert!(link.starts_with("http://127.0.0.1:8787/console/link/") && link.len() == 35 + 64, "{out}");
    assert!(out.contains("sees project Bando 2024"), "{out}");
    let (ok, _, err) = run(&["coordinator", "add", "Anna", "--scope", "all"]);
    assert!(!ok && err.contains("exists already"), "{err}");
    // A token alone on the last line, listed, revocable.
    let (ok, out, _) = run(&["coordinator", "token", "Anna"]);
    let token = out.lines().last().unwrap();
    assert!(ok && token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{out}");
    let (_, list, _) = run(&["coordinator", "tokens", "Anna"]);
    let id = list.split_whitespace().next().unwrap().to_owned();
    assert!(run(&["coordinator", "revoke-token", &id]).0);
    assert!(!run(&["coordinator", "revoke-token", &id]).0, "once");
    let (_, list, _) = run(&["coordinator", "list"]);
    assert!(list.contains("Anna") && list.contains("invited (no password yet)"), "{list}");
    assert!(run(&["coordinator", "reset", "Anna"]).1.lines().last().unwrap().contains("/console/link/"));
    assert!(run(&["coordinator", "revoke", "Anna"]).0);
    let (_, audit, _) = run(&["audit"]);
    for a in ["unit.add", "project.add", "project.unit", "coordinator.add", "coordinator.token", "coordinator.revoke"] {
        assert!(audit.contains(a), "{a}: {audit}");
    }
}
