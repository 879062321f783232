//! A throwaway PostgreSQL for the tests: Debian's server binaries, a fresh cluster in a
//! temp dir, listening on a unix socket and a free port on 127.0.0.1 only, stopped on drop.
//! Without the binaries the PostgreSQL tests are skipped, unless `LANTERNA_REQUIRE_POSTGRES`
//! is set (the test command sets it), in which case they fail.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Pg {
    pub url: String,
    bin: PathBuf,
    data: PathBuf,
    user: Option<String>,
    _dir: tempfile::TempDir,
}

fn bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir("/usr/lib/postgresql").ok()?.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).collect();
    dirs.sort();
    dirs.into_iter().rev().find(|d| d.join("initdb").exists())
}

fn run(user: &Option<String>, bin: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = match user {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.args(["-u", u, "--"]).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    cmd.args(args).output().unwrap_or_else(|e| panic!("{}: {e}", bin.display()))
}

impl Pg {
    /// Starts a cluster, or `None` (skip) when PostgreSQL is not installed.
    pub fn start() -> Option<Pg> {
        let Some(bin) = bin_dir() else {
            assert!(
                std::env::var_os("LANTERNA_REQUIRE_POSTGRES").is_none(),
                "PostgreSQL is required (LANTERNA_REQUIRE_POSTGRES) but /usr/lib/postgresql/*/bin/initdb is missing"
            );
            eprintln!("PostgreSQL not installed: PostgreSQL store tests skipped");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        // initdb refuses root: run the cluster as the postgres user then.
        let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
        let user = root.then(|| "postgres".to_owned());
        if let Some(u) = &user {
            let ok = Command::new("chown").args(["-R", u]).arg(dir.path()).status().unwrap().success();
            assert!(ok, "chown the temp dir to {u}");
        }
        let data = dir.path().join("data");
        let out = run(
            &user,
            &bin.join("initdb"),
            &["-D", data.to_str().unwrap(), "-A", "trust", "-U", "lanterna", "--no-sync"],
        );
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let opts = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=on", dir.path().display());
        let log = dir.path().join("pg.log");
        let out = run(
            &user,
            &bin.join("pg_ctl"),
            &["-D", data.to_str().unwrap(), "-l", log.to_str().unwrap(), "-o", &opts, "-w", "start"],
        );
        assert!(out.status.success(), "pg_ctl start: {}", std::fs::read_to_string(&log).unwrap_or_default());
        let url = format!("postgres://lanterna@127.0.0.1:{port}/postgres");
        Some(Pg { url, bin, data, user, _dir: dir })
    }

    /// A fresh database in the cluster.
    pub fn database(&self, name: &str) -> String {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        self.url.replace("/postgres", &format!("/{name}"))
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let _ =
            run(&self.user, &self.bin.join("pg_ctl"), &["-D", self.data.to_str().unwrap(), "-m", "immediate", "stop"]);
    }
}
