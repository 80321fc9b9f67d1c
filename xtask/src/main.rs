//! Project tasks: `cargo xtask run`, `cargo xtask test`, `cargo xtask bench`.
//!
//! Each command first installs what it needs, idempotently, from the package
//! registries only (crates.io, npm, Debian): the wasm32 target, Trunk, the
//! `wasm-bindgen-cli` matching `Cargo.lock` exactly, `wasm-opt` from npm's
//! `binaryen`, Chromium + ChromeDriver and PostgreSQL from apt. Nothing is ever
//! downloaded from GitHub or elsewhere (see `shared/toolchain.md` for why each
//! tool comes from where it does).

mod bench;
mod pg;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  run          build the widget and run the relay with the embedded sandbox and the demo store
  test         run every test: lint, native, PostgreSQL, WebAssembly in Chromium, browser end to end
  bench        run the benchmarks and write BENCHMARKS.md (not part of CI);
               `bench --micro` re-measures only the criterion section;
               `bench --baseline REV` also builds commit REV and measures it
               in the same run (before/after)
  setup        only install the toolchain (idempotent)
  widget       only build the widget bundle (web/dist)
  with-pg CMD  run CMD with TEST_DATABASE_URL pointing at a throwaway PostgreSQL
";

fn main() {
    if let Err(e) = real_main() {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root()?;
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("run") => run(&root, &args[1..]),
        Some("test") => test(&root, &args[1..]),
        Some("bench") => bench(&root, &args[1..]),
        Some("setup") => tools::ensure_all(&root, tools::Needs::all()).map(|_| ()),
        Some("widget") => {
            let env = tools::ensure_all(&root, tools::Needs::widget())?;
            build_widget(&root, &env)
        }
        Some("with-pg") => with_pg(&args[1..]),
        _ => {
            eprint!("{USAGE}");
            bail!("unknown or missing command")
        }
    }
}

/// The checkout this xtask was started from. `cargo run` sets
/// `CARGO_MANIFEST_DIR` at run time; the compile-time value is only a
/// fallback, because a build directory shared between clones (CI's cache)
/// can hold an xtask binary compiled in another clone.
fn workspace_root() -> Result<PathBuf> {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .context("xtask must live one level below the workspace root")
}

/// Runs a command, echoing it, and fails with its name when it fails.
pub(crate) fn sh(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: $ {shown}");
    let status = cmd
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("command failed ({status}): {shown}");
    }
    Ok(())
}

fn cargo(env: &tools::ToolEnv) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    env.apply(&mut c);
    c
}

/// `trunk build --release` of the widget in the checkout at `root`.
fn widget_command(root: &Path, env: &tools::ToolEnv) -> Command {
    let mut c = Command::new(&env.trunk);
    env.apply(&mut c);
    c.current_dir(root)
        .args(["build", "--release", "--offline"])
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    c
}

fn build_widget(root: &Path, env: &tools::ToolEnv) -> Result<()> {
    sh(&mut widget_command(root, env))
}

fn run(root: &Path, rest: &[String]) -> Result<()> {
    let env = tools::ensure_all(root, tools::Needs::widget())?;
    build_widget(root, &env)?;
    let mut c = cargo(&env);
    c.args([
        "run",
        "--package",
        "checkout-relay",
        "--bin",
        "anet-relay",
        "--",
    ])
    .args(rest)
    .env(
        "ANET_WIDGET_DIR",
        std::env::var("ANET_WIDGET_DIR")
            .unwrap_or_else(|_| root.join("web/dist").display().to_string()),
    );
    sh(&mut c)
}

struct Step {
    name: &'static str,
    secs: f64,
    ok: bool,
}

/// Runs named steps, remembering how long each took, for the closing summary.
#[derive(Default)]
struct Steps(Vec<Step>);

impl Steps {
    fn run<T>(&mut self, name: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        eprintln!("\nxtask: ===== {name} =====");
        let t = Instant::now();
        let r = f();
        self.0.push(Step {
            name,
            secs: t.elapsed().as_secs_f64(),
            ok: r.is_ok(),
        });
        r
    }

    fn print(&self, started: Instant) {
        eprintln!("\nxtask: summary");
        for s in &self.0 {
            let verdict = if s.ok { "ok" } else { "FAILED" };
            eprintln!("  {:<66} {:>7.1}s  {verdict}", s.name, s.secs);
        }
        eprintln!("  total {:.1}s", started.elapsed().as_secs_f64());
    }
}

fn test(root: &Path, rest: &[String]) -> Result<()> {
    let lint = !rest.iter().any(|a| a == "--no-lint");
    let started = Instant::now();
    let mut steps = Steps::default();
    let result = test_steps(root, lint, &mut steps);
    steps.print(started);
    result
}

fn test_steps(root: &Path, lint: bool, steps: &mut Steps) -> Result<()> {
    let env = steps.run("install toolchain", || {
        tools::ensure_all(root, tools::Needs::all())
    })?;
    if lint {
        steps.run("format", || {
            sh(cargo(&env).args(["fmt", "--all", "--check"]))
        })?;
        steps.run("clippy (native)", || {
            sh(cargo(&env).args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        })?;
        steps.run("clippy (wasm32)", || {
            sh(cargo(&env).args([
                "clippy",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "checkout-domain",
                "-p",
                "checkout-api",
                "-p",
                "checkout-widget",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        })?;
    }
    steps.run("widget release bundle (trunk)", || build_widget(root, &env))?;
    let pg = steps.run("start PostgreSQL", pg::TempPostgres::start)?;
    let native = steps.run(
        "native tests: SQLite, PostgreSQL, sandbox, SDKs, browser e2e",
        || {
            let mut c = cargo(&env);
            c.args([
                "test",
                "--workspace",
                "--exclude",
                "checkout-widget",
                "--no-fail-fast",
            ])
            .env("TEST_DATABASE_URL", pg.url())
            .env("ANET_WIDGET_DIR", root.join("web/dist"));
            sh(&mut c)
        },
    );
    drop(pg);
    native?;
    steps.run("WebAssembly tests in headless Chromium", || {
        sh(cargo(&env).args([
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "checkout-domain",
            "-p",
            "checkout-widget",
            "--no-fail-fast",
        ]))
    })
}

fn with_pg(cmd: &[String]) -> Result<()> {
    let (prog, args) = cmd.split_first().context("with-pg needs a command")?;
    let pg = pg::TempPostgres::start()?;
    let r = sh(Command::new(prog)
        .args(args)
        .env("TEST_DATABASE_URL", pg.url()));
    drop(pg);
    r
}

fn bench(root: &Path, rest: &[String]) -> Result<()> {
    let env = tools::ensure_all(root, tools::Needs::all())?;
    let path = if rest.iter().any(|a| a == "--micro") {
        bench::run_micro(root, &mut || cargo(&env))?
    } else {
        let baseline = match rest.iter().position(|a| a == "--baseline") {
            Some(i) => {
                let rev = rest.get(i + 1).context("--baseline needs a commit")?;
                Some(bench::prepare_baseline(
                    root,
                    rev,
                    &mut || cargo(&env),
                    &|tree, target| {
                        let mut c = widget_command(tree, &env);
                        sh(c.env("CARGO_TARGET_DIR", target))
                    },
                )?)
            }
            None => None,
        };
        build_widget(root, &env)?;
        bench::run(root, &mut || cargo(&env), baseline.as_ref())?
    };
    eprintln!("xtask: wrote {}", path.display());
    Ok(())
}
