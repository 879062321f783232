//! Settings: defaults, then a TOML file (`--config FILE` or `LANTERNA_SERVER_CONFIG`), then
//! `LANTERNA_SERVER_*` variables, then command-line flags.

use std::path::Path;

use anyhow::{Context, bail};
use lanterna::wire::Limits;
use serde::{Deserialize, Serialize};

/// Every setting of the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Smallest count shown in cross-unit tables.
    pub k: u64,
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
        }
    }
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
        macro_rules! numeric {
            ($($f:ident),*) => {$(
                if let Some((n, v)) = var(stringify!($f)) {
                    self.$f = num(&n, &v)?;
                }
            )*};
        }
        numeric!(max_body_bytes, max_json_bytes, max_summaries_per_batch, max_cells_per_summary, max_count_per_cell);
        numeric!(rate_per_minute, rate_burst, k);
        if self.rate_burst == 0 || self.rate_per_minute == 0 {
            bail!("rate_per_minute and rate_burst must be at least 1");
        }
        Ok(())
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
