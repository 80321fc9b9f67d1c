//! `cargo xtask bench`: measures, then writes `BENCHMARKS.md`. Every figure
//! in that file comes from this run; none is typed by hand.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use serde_json::Value;

/// Published gzip sizes of what peers' card forms download (for the table).
const PEERS: &[(&str, u64)] = &[
    ("Braintree drop-in", 130_000),
    ("Adyen card component", 106_000),
    ("Braintree hosted-fields", 35_000),
];

pub struct FileSize {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

pub fn gzip9(bytes: &[u8]) -> Result<u64> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len() as u64)
}

pub fn brotli11(bytes: &[u8]) -> Result<u64> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out.len() as u64)
}

fn measure(path: &Path, name: String) -> Result<FileSize> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(FileSize {
        name,
        raw: bytes.len() as u64,
        gzip: gzip9(&bytes)?,
        brotli: brotli11(&bytes)?,
    })
}

/// Everything the iframe downloads before it is interactive: the HTML and the
/// JS, WASM and CSS files in the Trunk output.
pub fn widget_payload(dist: &Path) -> Result<Vec<FileSize>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist).with_context(|| format!("reading {}", dist.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let critical = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("html" | "js" | "wasm" | "css")
        ) && name != "checkout.js";
        if critical && path.is_file() {
            files.push(measure(&path, name)?);
        }
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.gzip));
    Ok(files)
}

fn kb(n: u64) -> String {
    format!("{:.1} KB", n as f64 / 1000.0)
}

/// The gzip total of a Trunk output's critical path.
fn payload_gzip(dist: &Path) -> Result<u64> {
    Ok(widget_payload(dist)?.iter().map(|f| f.gzip).sum())
}

fn payload_section(root: &Path, out: &mut String) -> Result<()> {
    let dist = root.join("web/dist");
    let files = widget_payload(&dist)?;
    let total = |f: fn(&FileSize) -> u64| files.iter().map(f).sum::<u64>();
    writeln!(out, "## 1. Widget payload (critical path of the iframe)\n")?;
    writeln!(
        out,
        "| file | raw | gzip -9 | brotli 11 |\n|---|---:|---:|---:|"
    )?;
    for f in &files {
        writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            f.name,
            kb(f.raw),
            kb(f.gzip),
            kb(f.brotli)
        )?;
    }
    let (raw, gz, br) = (total(|f| f.raw), total(|f| f.gzip), total(|f| f.brotli));
    writeln!(
        out,
        "| **total** | **{}** | **{}** | **{}** |",
        kb(raw),
        kb(gz),
        kb(br)
    )?;
    let loader = ["web/dist/checkout.js", "web/loader/checkout.js"]
        .iter()
        .map(|p| root.join(p))
        .find(|p| p.is_file());
    if let Some(l) = loader {
        let f = measure(&l, "checkout.js".into())?;
        writeln!(
            out,
            "\nThe loader alone (`checkout.js`, on the merchant's page): {} raw, {} gzip, {} brotli.",
            kb(f.raw),
            kb(f.gzip),
            kb(f.brotli)
        )?;
    }
    writeln!(
        out,
        "\n| checkout | gzip | ours as a share |\n|---|---:|---:|"
    )?;
    writeln!(out, "| anet-checkout (measured) | {} | 100% |", kb(gz))?;
    for (name, size) in PEERS {
        writeln!(
            out,
            "| {name} (published) | {} | {:.0}% |",
            kb(*size),
            gz as f64 * 100.0 / *size as f64
        )?;
    }
    writeln!(
        out,
        "\nBudget: ≤ 50 KB gzip — {}.\n",
        if gz <= 50_000 { "met" } else { "NOT met" }
    )?;
    Ok(())
}

/// Runs the criterion benches and copies their one-line estimates.
fn micro_section(root: &Path, cargo: &mut dyn FnMut() -> Command, out: &mut String) -> Result<()> {
    writeln!(
        out,
        "## 7. Micro-benchmarks (criterion, median of the estimate)\n"
    )?;
    writeln!(
        out,
        "| benchmark | time per op | throughput |\n|---|---:|---:|"
    )?;
    let output = cargo()
        .args([
            "bench",
            "-p",
            "checkout-domain",
            "-p",
            "authnet-proto",
            // Only the criterion targets: libtest rejects criterion's flags.
            "--bench",
            "*",
            "--",
            "--noplot",
            "--quick",
        ])
        .current_dir(root)
        .output()?;
    if !output.status.success() {
        anyhow::bail!(
            "criterion benches failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.split_once("time:") {
            let name = if rest.0.trim().is_empty() {
                current.clone().unwrap_or_default()
            } else {
                rest.0.trim().to_string()
            };
            let mid = rest
                .1
                .trim()
                .trim_matches(|c| c == '[' || c == ']')
                .split_whitespace()
                .collect::<Vec<_>>();
            if mid.len() >= 4 {
                let (value, unit) = (mid[2], mid[3]);
                // Only absolute times: criterion's change lines (percentages
                // against the previous run) are not measurements of this run.
                if let Some(ns) = to_ns(value, unit) {
                    writeln!(out, "| `{name}` | {value} {unit} | {:.0}/s |", 1e9 / ns)?;
                }
            }
        } else if !t.is_empty()
            && !t.contains(':')
            && !t.starts_with("Benchmarking")
            && !t.starts_with("Found")
        {
            current = Some(t.to_string());
        }
    }
    writeln!(out)?;
    Ok(())
}

fn to_ns(value: &str, unit: &str) -> Option<f64> {
    let v: f64 = value.parse().ok()?;
    Some(match unit {
        "ps" => v / 1000.0,
        "ns" => v,
        "µs" | "us" => v * 1e3,
        "ms" => v * 1e6,
        "s" => v * 1e9,
        _ => return None,
    })
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores; measured {date}")
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The added p99 of one overhead variant at one concurrency.
fn added_p99(v: &Value, concurrency: u64, label: &str) -> Option<f64> {
    v["overhead"]
        .as_array()?
        .iter()
        .find(|o| o["concurrency"].as_u64() == Some(concurrency))?["variants"]
        .as_array()?
        .iter()
        .find(|w| w["label"] == label)?["added_p99_ms"]
        .as_f64()
}

fn ms(v: &Value) -> String {
    v.as_f64().map(|f| format!("{f:.2} ms")).unwrap_or_default()
}

fn run_row(out: &mut String, r: &Value) -> Result<()> {
    writeln!(
        out,
        "| {} | {} | {:.0}/s | {} | {} | {} |",
        r["name"].as_str().unwrap_or_default(),
        r["requests"],
        r["throughput_per_s"].as_f64().unwrap_or_default(),
        ms(&r["p50_ms"]),
        ms(&r["p99_ms"]),
        r["errors"],
    )?;
    Ok(())
}

const RUN_HEADER: &str =
    "| run | requests | throughput | p50 | p99 | errors |\n|---|---:|---:|---:|---:|---:|";

/// Release builds of the sandbox and the relay, driven by `anet-bench`.
fn load_sections(
    root: &Path,
    cargo: &mut dyn FnMut() -> Command,
    baseline: Option<&Baseline>,
    out: &mut String,
) -> Result<Value> {
    crate::sh(cargo().current_dir(root).args([
        "build",
        "--release",
        "-p",
        "authnet-sandbox",
        "-p",
        "checkout-relay",
        "-p",
        "checkout-e2e",
        "--bins",
    ]))?;
    let bin = target_dir(root).join("release");
    let pg = crate::pg::TempPostgres::start()?;
    // The tool environment (PATH, CHROMEDRIVER) that `cargo()` carries.
    let c = cargo();
    let output = Command::new(bin.join("anet-bench"))
        .envs(
            c.get_envs()
                .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))),
        )
        .arg(bin.join("anet-sandbox"))
        .arg(bin.join("anet-relay"))
        .args(["--requests", "5000", "--pg", &pg.url()])
        .arg("--widget-dir")
        .arg(root.join("web/dist"))
        .args(
            baseline
                .map(|b| vec!["--baseline-relay".into(), b.relay.clone().into_os_string()])
                .unwrap_or_default(),
        )
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running anet-bench")?;
    drop(pg);
    if !output.status.success() {
        anyhow::bail!("anet-bench failed");
    }
    let v: Value = serde_json::from_slice(&output.stdout).context("anet-bench output")?;

    writeln!(
        out,
        "## 2. Time to interactive (headless Chromium, loopback)\n"
    )?;
    let t = &v["tti"];
    writeln!(
        out,
        "From the loader's start on the merchant page to the widget's `anet:ready` \
         (card field rendered, accepting input), {} fresh loads: median **{}**, p95 **{}**, best {}.\n",
        t["loads"],
        ms(&t["median_ms"]),
        ms(&t["p95_ms"]),
        ms(&t["min_ms"])
    )?;

    writeln!(
        out,
        "## 3. Relay overhead (same AIM auth, direct vs. through `POST /widget/v1/session/pay`, one run)\n"
    )?;
    writeln!(
        out,
        "| concurrency | path | p50 | p99 | added p50 | added p99 | throughput |\n\
         |---:|---|---:|---:|---:|---:|---:|"
    )?;
    for o in v["overhead"].as_array().cloned().unwrap_or_default() {
        let d = &o["direct"];
        writeln!(
            out,
            "| {} | direct to the sandbox | {} | {} | | | {:.0}/s |",
            o["concurrency"],
            ms(&d["p50_ms"]),
            ms(&d["p99_ms"]),
            d["throughput_per_s"].as_f64().unwrap_or_default(),
        )?;
        for w in o["variants"].as_array().cloned().unwrap_or_default() {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | **{}** | {:.0}/s |",
                o["concurrency"],
                w["label"].as_str().unwrap_or_default(),
                ms(&w["run"]["p50_ms"]),
                ms(&w["run"]["p99_ms"]),
                ms(&w["added_p50_ms"]),
                ms(&w["added_p99_ms"]),
                w["run"]["throughput_per_s"].as_f64().unwrap_or_default(),
            )?;
        }
    }
    let c1 = added_p99(&v, 1, "relay");
    writeln!(
        out,
        "\nThe relay's pay path looks the session up by its token, validates the card again, checks \
         the rate limits, commits the claim together with the ledger row before the gateway call, and \
         commits the outcome, the session and the audit entry together after it. `relay` is the \
         default (SQLite, the WAL fsynced at every commit); `synchronous=normal` is the same relay with \
         `ANET_SQLITE_SYNCHRONOUS=normal` (no fsync per commit). SQLite writes queue on one \
         writer connection: under concurrency a pay waits for the writes ahead of it rather than \
         sleeping in SQLite's busy handler. Goal: ≤ 1 ms added at p99 — at \
         concurrency 1, {} ({}).\n",
        c1.map(|a| format!("{a:.2} ms")).unwrap_or_default(),
        if c1.is_some_and(|a| a <= 1.0) {
            "met"
        } else {
            "NOT met"
        }
    )?;

    writeln!(
        out,
        "## 4. Throughput\n\nSandbox binary start to first answer: {}.\n\n{RUN_HEADER}",
        ms(&v["sandbox_start_ms"])
    )?;
    for r in v["runs"].as_array().cloned().unwrap_or_default() {
        run_row(out, &r)?;
    }

    writeln!(
        out,
        "\n## 5. Scale: PostgreSQL, one relay vs. two relays sharing it\n\n{RUN_HEADER}"
    )?;
    let s = &v["scale"];
    run_row(out, &s["one_instance"])?;
    run_row(out, &s["two_instances"])?;
    let ratio = s["two_instances"]["throughput_per_s"]
        .as_f64()
        .unwrap_or_default()
        / s["one_instance"]["throughput_per_s"]
            .as_f64()
            .unwrap_or(1.0);
    writeln!(
        out,
        "\nTwo instances / one: **{ratio:.2}×** (all on this machine's cores, with the sandbox and the \
         load generator). {} sessions each paid twice at once through different instances: at most \
         **{}** charge per session in the sandbox ledger.\n",
        s["sessions_double_paid"], s["max_charges_per_session"]
    )?;
    Ok(v)
}

/// Re-measures only the micro-benchmarks and replaces that section of an
/// existing `BENCHMARKS.md`.
pub fn run_micro(root: &Path, cargo: &mut dyn FnMut() -> Command) -> Result<PathBuf> {
    let path = root.join("BENCHMARKS.md");
    let old =
        std::fs::read_to_string(&path).context("BENCHMARKS.md (run `cargo xtask bench` first)")?;
    let mut out = old
        .split("## 7. Micro-benchmarks")
        .next()
        .unwrap_or_default()
        .to_string();
    micro_section(root, cargo, &mut out)?;
    std::fs::write(&path, &out)?;
    eprintln!("{out}");
    Ok(path)
}

pub fn run(
    root: &Path,
    cargo: &mut dyn FnMut() -> Command,
    baseline: Option<&Baseline>,
) -> Result<PathBuf> {
    let mut out = String::new();
    writeln!(
        out,
        "# Benchmarks\n\nWritten by `cargo xtask bench{}`. Machine: {}.\n",
        baseline
            .map(|b| format!(" --baseline {}", b.rev))
            .unwrap_or_default(),
        machine()
    )?;
    payload_section(root, &mut out)?;
    let v = load_sections(root, cargo, baseline, &mut out)?;
    if let Some(b) = baseline {
        before_after_section(root, b, &v, &mut out)?;
    }
    micro_section(root, cargo, &mut out)?;
    let path = root.join("BENCHMARKS.md");
    std::fs::write(&path, &out)?;
    eprintln!("{out}");
    Ok(path)
}

/// An earlier commit built for comparison: its widget bundle and its relay.
pub struct Baseline {
    /// The commit, abbreviated.
    pub rev: String,
    /// Its Trunk output.
    pub dist: PathBuf,
    /// Its `anet-relay` binary.
    pub relay: PathBuf,
}

/// Checks `rev` out in a git worktree and builds its widget (with
/// `build_widget(tree, target_dir)`) and its relay, in a target directory of
/// their own: the two trees differ in profiles and features, and sharing one
/// would rebuild every dependency twice per run. Both are kept under the
/// target directory, so a second run with the same `rev` builds nothing.
pub fn prepare_baseline(
    root: &Path,
    rev: &str,
    cargo: &mut dyn FnMut() -> Command,
    build_widget: &dyn Fn(&Path, &Path) -> Result<()>,
) -> Result<Baseline> {
    let git_rev = |dir: &Path, rev: &str| -> Option<String> {
        let out = Command::new("git")
            .current_dir(dir)
            .args(["rev-parse", "--short", &format!("{rev}^{{commit}}")])
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let short = git_rev(root, rev)
        .with_context(|| format!("--baseline {rev}: not a commit of this repository"))?;
    let base = target_dir(root).join("bench-baseline");
    let tree = base.join("src");
    let target = base.join("target");
    if git_rev(&tree, "HEAD").as_deref() != Some(short.as_str()) {
        // A worktree left by an earlier run at another commit is replaced.
        let _ = Command::new("git")
            .current_dir(root)
            .args(["worktree", "remove", "--force"])
            .arg(&tree)
            .output();
        let _ = std::fs::remove_dir_all(&tree);
        crate::sh(
            Command::new("git")
                .current_dir(root)
                .args(["worktree", "prune"]),
        )?;
        std::fs::create_dir_all(&base)?;
        crate::sh(
            Command::new("git")
                .current_dir(root)
                .args(["worktree", "add", "--detach"])
                .arg(&tree)
                .arg(&short),
        )?;
    }
    build_widget(&tree, &target)?;
    crate::sh(
        cargo()
            .current_dir(&tree)
            .env("CARGO_TARGET_DIR", &target)
            .args([
                "build",
                "--release",
                "-p",
                "checkout-relay",
                "--bin",
                "anet-relay",
            ]),
    )?;
    Ok(Baseline {
        rev: short,
        dist: tree.join("web/dist"),
        relay: target.join("release/anet-relay"),
    })
}

/// What the work since the baseline changed, from this run's measurements.
fn before_after_section(root: &Path, b: &Baseline, v: &Value, out: &mut String) -> Result<()> {
    writeln!(
        out,
        "## 6. Before and after (baseline `{}` built and measured in this run)\n",
        b.rev
    )?;
    writeln!(
        out,
        "| figure | before | after | change |\n|---|---:|---:|---:|"
    )?;
    let (before, after) = (
        payload_gzip(&b.dist)?,
        payload_gzip(&root.join("web/dist"))?,
    );
    writeln!(
        out,
        "| widget payload, gzip -9 | {} | {} | {:+.1}% |",
        kb(before),
        kb(after),
        (after as f64 - before as f64) * 100.0 / before as f64
    )?;
    for c in [1, 8, 32] {
        if let (Some(x), Some(y)) = (
            added_p99(v, c, "relay before (baseline build)"),
            added_p99(v, c, "relay"),
        ) {
            writeln!(
                out,
                "| relay added p99, concurrency {c} | {x:.2} ms | {y:.2} ms | {:+.0}% |",
                (y - x) * 100.0 / x
            )?;
        }
    }
    writeln!(out)?;
    Ok(())
}
