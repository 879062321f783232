//! Settings: defaults, then a TOML file (`--config FILE` or `LANTERNA_SERVER_CONFIG`), then
//! `LANTERNA_SERVER_*` variables, then command-line flags. Printed with `{:?}`, the
//! settings hide the password a store URL may carry.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use anyhow::{Context, bail};
use lanterna::wire::Limits;
use serde::{Deserialize, Serialize};

/// Every setting of the server. Its `Debug` hides the store URL's password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: String,
    /// `sqlite://PATH` or `postgres://...`.
    pub db: String,
    /// Largest request body as sent (compressed), bytes.
    pub max_body_bytes: usize,
    /// Largest request body once decompressed, bytes.
    pub max_json_bytes: usize,
    /// Summaries per request.
    pub max_summaries_per_batch: usize,
    /// Cells per summary.
    pub max_cells_per_summary: usize,
    /// Count of one cell.
    pub max_count_per_cell: u32,
    /// Requests per minute per token (a bucket of `rate_burst` refilled at this rate).
    pub rate_per_minute: u32,
    /// Requests a token may make at once.
    pub rate_burst: u32,
    /// Smallest count shown in published tables (never below 3).
    pub k: u64,
    /// The address coordinators reach the console at (`https://...` behind a proxy):
    /// sign-in links start with it, and session cookies are `Secure` when it is https.
    /// Empty: `http://` and the listening address.
    pub public_url: String,
    /// A console session ends after this many minutes without a request.
    pub session_idle_minutes: u32,
    /// A console session ends this many hours after signing in, whatever happens.
    pub session_max_hours: u32,
    /// Failed sign-ins per account, and per address, within 15 minutes before more are
    /// refused.
    pub sign_in_failures: u32,
    /// Enrolment attempts per minute per client address (a bucket of `enroll_burst`).
    pub enroll_per_minute: u32,
    /// Enrolment attempts a client address may make at once.
    pub enroll_burst: u32,
    /// Requests with an unknown, revoked or expired token per minute per client address
    /// (a bucket of `auth_failures_burst`); past it they are answered 429.
    pub auth_failures_per_minute: u32,
    /// Failed tokens a client address may send at once.
    pub auth_failures_burst: u32,
    /// The reverse proxy's addresses (comma-separated IPs): only from them is
    /// `X-Forwarded-For` believed, for rate limits by address. Empty: the peer address.
    pub trusted_proxy: String,
    /// Largest enrolment body, as sent and once decompressed, bytes.
    pub max_enroll_bytes: usize,
    /// A device's token expires this many days after enrolling; 0: never.
    pub device_token_days: u32,
    /// A coordinator's API token expires this many days after it is made; 0: never.
    pub api_token_days: u32,
    /// A PEM certificate chain: `serve` terminates TLS itself (with `tls_key`). Empty:
    /// plain HTTP (behind a reverse proxy that terminates TLS).
    pub tls_cert: String,
    /// The PEM private key of `tls_cert`.
    pub tls_key: String,
    /// How many days before its creation on the server a unit's outings may be dated
    /// (registers kept before it joined); earlier ones are refused one by one
    /// (`date_out_of_range`), as are those after tomorrow.
    pub history_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        let l = Limits::default();
        Config {
            listen: "127.0.0.1:8787".into(),
            db: "sqlite://lanterna-server.db".into(),
            max_body_bytes: 1 << 20,
            max_json_bytes: 16 << 20,
            max_summaries_per_batch: l.summaries_per_batch,
            max_cells_per_summary: l.cells_per_summary,
            max_count_per_cell: l.count_per_cell,
            rate_per_minute: 600,
            rate_burst: 60,
            k: 3,
            public_url: String::new(),
            session_idle_minutes: 30,
            session_max_hours: 12,
            sign_in_failures: 5,
            enroll_per_minute: 10,
            enroll_burst: 10,
            auth_failures_per_minute: 10,
            auth_failures_burst: 20,
            trusted_proxy: String::new(),
            max_enroll_bytes: 4096,
            device_token_days: 0,
            api_token_days: 0,
            tls_cert: String::new(),
            tls_key: String::new(),
            history_days: 3653,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Destructured so that a new field cannot be forgotten here.
        let Config {
            listen,
            db,
            max_body_bytes,
            max_json_bytes,
            max_summaries_per_batch,
            max_cells_per_summary,
            max_count_per_cell,
            rate_per_minute,
            rate_burst,
            k,
            public_url,
            session_idle_minutes,
            session_max_hours,
            sign_in_failures,
            enroll_per_minute,
            enroll_burst,
            auth_failures_per_minute,
            auth_failures_burst,
            trusted_proxy,
            max_enroll_bytes,
            device_token_days,
            api_token_days,
            tls_cert,
            tls_key,
            history_days,
        } = self;
        f.debug_struct("Config")
            .field("listen", listen)
            .field("db", &redact_url(db))
            .field("max_body_bytes", max_body_bytes)
            .field("max_json_bytes", max_json_bytes)
            .field("max_summaries_per_batch", max_summaries_per_batch)
            .field("max_cells_per_summary", max_cells_per_summary)
            .field("max_count_per_cell", max_count_per_cell)
            .field("rate_per_minute", rate_per_minute)
            .field("rate_burst", rate_burst)
            .field("k", k)
            .field("public_url", public_url)
            .field("session_idle_minutes", session_idle_minutes)
            .field("session_max_hours", session_max_hours)
            .field("sign_in_failures", sign_in_failures)
            .field("enroll_per_minute", enroll_per_minute)
            .field("enroll_burst", enroll_burst)
            .field("auth_failures_per_minute", auth_failures_per_minute)
            .field("auth_failures_burst", auth_failures_burst)
            .field("trusted_proxy", trusted_proxy)
            .field("max_enroll_bytes", max_enroll_bytes)
            .field("device_token_days", device_token_days)
            .field("api_token_days", api_token_days)
            .field("tls_cert", tls_cert)
            .field("tls_key", tls_key)
            .field("history_days", history_days)
            .finish()
    }
}

/// A URL with its password replaced by `***`: the one in `scheme://user:PASSWORD@host`
/// and any `password=` parameter (`postgres://host/db?password=...`).
pub fn redact_url(url: &str) -> Cow<'_, str> {
    const HIDDEN: &str = "***";
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    if let Some(i) = rest.find("://") {
        let (scheme, after) = rest.split_at(i + 3);
        out.push_str(scheme);
        rest = after;
        // The last `@` before the query ends the user part, even when the password holds
        // an unescaped `/` or `@`.
        let query = after.find(['?', '#']).unwrap_or(after.len());
        if let Some(at) = after[..query].rfind('@') {
            match after[..at].split_once(':') {
                Some((user, _password)) => out.extend([user, ":", HIDDEN]),
                None => out.push_str(&after[..at]),
            }
            rest = &after[at..];
        }
    }
    let params: Vec<Cow<'_, str>> = rest
        .split('&')
        .map(|part| match part.find("password=") {
            Some(i) if i == 0 || part[..i].ends_with(['?', ';', ' ']) => {
                Cow::Owned(format!("{}{HIDDEN}", &part[..i + "password=".len()]))
            }
            _ => Cow::Borrowed(part),
        })
        .collect();
    out.push_str(&params.join("&"));
    if out == url { Cow::Borrowed(url) } else { Cow::Owned(out) }
}

impl Config {
    /// Defaults, the file, then the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let file = file.map(Path::to_path_buf).or_else(|| std::env::var_os("LANTERNA_SERVER_CONFIG").map(Into::into));
        let mut c = match file {
            Some(f) => {
                let text = std::fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
                toml::from_str(&text).with_context(|| format!("{}", f.display()))?
            }
            None => Config::default(),
        };
        c.apply_env(|k| std::env::var(k).ok())?;
        Ok(c)
    }

    /// Applies `LANTERNA_SERVER_<FIELD>` values.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        fn num<T: std::str::FromStr>(name: &str, v: &str) -> anyhow::Result<T> {
            v.trim().parse().map_err(|_| anyhow::anyhow!("{name}={v}: not a number"))
        }
        let var = |f: &str| {
            let name = format!("LANTERNA_SERVER_{}", f.to_ascii_uppercase());
            get(&name).map(|v| (name, v))
        };
        if let Some((_, v)) = var("listen") {
            self.listen = v;
        }
        if let Some((_, v)) = var("db") {
            self.db = v;
        }
        if let Some((_, v)) = var("public_url") {
            self.public_url = v;
        }
        for (f, slot) in [
            ("trusted_proxy", &mut self.trusted_proxy),
            ("tls_cert", &mut self.tls_cert),
            ("tls_key", &mut self.tls_key),
        ] {
            if let Some((_, v)) = var(f) {
                *slot = v;
            }
        }
        macro_rules! numeric {
            ($($f:ident),*) => {$(
                if let Some((n, v)) = var(stringify!($f)) {
                    self.$f = num(&n, &v)?;
                }
            )*};
        }
        numeric!(max_body_bytes, max_json_bytes, max_summaries_per_batch, max_cells_per_summary, max_count_per_cell);
        numeric!(rate_per_minute, rate_burst, k, session_idle_minutes, session_max_hours, sign_in_failures);
        numeric!(enroll_per_minute, enroll_burst, auth_failures_per_minute, auth_failures_burst, max_enroll_bytes);
        numeric!(device_token_days, api_token_days, history_days);
        self.check()
    }

    /// Refuses settings that cannot work.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.rate_burst == 0 || self.rate_per_minute == 0 {
            bail!("rate_per_minute and rate_burst must be at least 1");
        }
        if [self.enroll_per_minute, self.enroll_burst, self.auth_failures_per_minute, self.auth_failures_burst]
            .contains(&0)
        {
            bail!(
                "enroll_per_minute, enroll_burst, auth_failures_per_minute and auth_failures_burst must be at least 1"
            );
        }
        if self.tls_cert.trim().is_empty() != self.tls_key.trim().is_empty() {
            bail!("tls_cert and tls_key go together: set both (serve terminates TLS) or neither");
        }
        self.trusted_proxies()?;
        self.check_limits()
    }

    /// The summary limits may be lowered (a summary over them is then refused alone, and
    /// the phone marks it), never raised above what a phone records (the domain's
    /// limits): above those the server would accept what no honest phone sends.
    pub fn check_limits(&self) -> anyhow::Result<()> {
        let most = Limits::default();
        if self.max_cells_per_summary > most.cells_per_summary || self.max_cells_per_summary == 0 {
            bail!("max_cells_per_summary must be between 1 and {}", most.cells_per_summary);
        }
        if self.max_count_per_cell > most.count_per_cell || self.max_count_per_cell == 0 {
            bail!("max_count_per_cell must be between 1 and {}", most.count_per_cell);
        }
        Ok(())
    }

    /// Where coordinators reach the console, without a trailing slash.
    pub fn public_url(&self) -> String {
        if self.public_url.trim().is_empty() {
            format!("http://{}", self.listen)
        } else {
            self.public_url.trim().trim_end_matches('/').to_owned()
        }
    }

    /// The addresses of `trusted_proxy`.
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<std::net::IpAddr>> {
        self.trusted_proxy
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().map_err(|_| anyhow::anyhow!("trusted_proxy {s}: not an IP address")))
            .collect()
    }

    /// The summary limits.
    pub fn limits(&self) -> Limits {
        Limits {
            summaries_per_batch: self.max_summaries_per_batch,
            cells_per_summary: self.max_cells_per_summary,
            comuni_per_summary: Limits::default().comuni_per_summary,
            count_per_cell: self.max_count_per_cell,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_password() {
        let urls = [
            (
                "postgres://lanterna:s3cr%2Ft@db.example.org:5432/lanterna",
                "postgres://lanterna:***@db.example.org:5432/lanterna",
            ),
            ("postgresql://u:pa/ss@wd@host/db?sslmode=require", "postgresql://u:***@host/db?sslmode=require"),
            (
                "postgres://u@host/db?sslmode=require&password=s3cr%2Ft",
                "postgres://u@host/db?sslmode=require&password=***",
            ),
            ("postgres://host/db?password=s3cr%2Ft&user=u", "postgres://host/db?password=***&user=u"),
        ];
        for (url, shown) in urls {
            assert_eq!(redact_url(url), shown);
            let c = Config { db: url.into(), ..Config::default() };
            let debug = format!("{c:?}");
            let pretty = format!("{c:#?}");
            for text in [&debug, &pretty] {
                assert!(!text.contains("s3cr") && !text.contains("pa/ss"), "{text}");
                assert!(text.contains(shown), "{text}");
            }
        }
        // Nothing to hide: shown as it is, with every other field.
        let c = Config::default();
        assert_eq!(redact_url(&c.db), "sqlite://lanterna-server.db");
        let debug = format!("{c:?}");
        assert!(debug.contains("sqlite://lanterna-server.db") && debug.contains("rate_burst: 60"), "{debug}");
    }
}
