//! A throwaway PostgreSQL server (from Debian's packages) for the PostgreSQL
//! test suite: its own data directory, a free loopback port, `fsync` off,
//! stopped and removed on drop. When `TEST_DATABASE_URL` is already set, that
//! server is used instead and nothing is started.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};

use crate::sh;

pub fn find_bindir() -> Option<PathBuf> {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").is_file() {
            return Some(dir);
        }
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|d| d.join("initdb").is_file())
        .collect();
    dirs.sort();
    dirs.pop()
}

pub struct TempPostgres {
    url: String,
    running: Option<(PathBuf, PathBuf)>,
}

impl TempPostgres {
    pub fn url(&self) -> String {
        self.url.clone()
    }

    pub fn start() -> Result<Self> {
        if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
            eprintln!("xtask: using TEST_DATABASE_URL from the environment");
            return Ok(TempPostgres { url, running: None });
        }
        let bin =
            find_bindir().context("PostgreSQL (initdb) not found; apt-get install postgresql")?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let dir = std::env::temp_dir().join(format!("anet-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        // initdb refuses to run as root: run the server as the `postgres` user.
        let as_postgres = crate::tools::is_root();
        if as_postgres {
            sh(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let run = |prog: &str, args: &[String]| -> Result<()> {
            let exe = bin.join(prog);
            if as_postgres {
                sh(Command::new("runuser")
                    .args(["-u", "postgres", "--"])
                    .arg(&exe)
                    .args(args))
            } else {
                sh(Command::new(&exe).args(args))
            }
        };
        let d = dir.display().to_string();
        run(
            "initdb",
            &[
                "-D".into(),
                d.clone(),
                "-U".into(),
                "postgres".into(),
                "--auth=trust".into(),
                "-E".into(),
                "UTF8".into(),
                "--no-sync".into(),
            ],
        )?;
        let opts = format!(
            "-p {port} -k {d} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        );
        run(
            "pg_ctl",
            &[
                "-D".into(),
                d.clone(),
                "-o".into(),
                opts,
                "-l".into(),
                format!("{d}/server.log"),
                "-w".into(),
                "start".into(),
            ],
        )?;
        Ok(TempPostgres {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            running: Some((bin, dir)),
        })
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        if let Some((bin, dir)) = self.running.take() {
            let mut c = if crate::tools::is_root() {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(bin.join("pg_ctl"));
                c
            } else {
                Command::new(bin.join("pg_ctl"))
            };
            let _ = c
                .arg("-D")
                .arg(&dir)
                .args(["-m", "immediate", "stop"])
                .status();
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
