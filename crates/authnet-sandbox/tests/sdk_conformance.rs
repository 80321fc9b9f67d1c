//! Conformance with Authorize.Net's official SDKs, unchanged, pointed at the
//! sandbox: Python `authorizenet==1.1.6` (XML) and Node `authorizenet@1.0.10`
//! (JSON) each run the life cycle in `tests/sdk_conformance/` against a sandbox
//! served in-process on a real loopback socket.
//!
//! Setup (idempotent, skipped in well under a second when present): a venv at
//! `target/sdk-conformance/venv` (`pip install authorizenet==1.1.6`; it pulls
//! `PyXB-X`, a maintained PyXB fork, and `lxml 4`; it imports on Python 3.11)
//! and `target/sdk-conformance/node` (`npm install authorizenet@1.0.10`), both
//! from the public registries. Missing `python3` or `npm` FAILS the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use authnet_sandbox::{DEFAULT_LOGIN, DEFAULT_TRANSACTION_KEY, Sandbox, SandboxConfig};

const PY_SDK: &str = "authorizenet==1.1.6";
const NODE_SDK: &str = "authorizenet@1.0.10";

fn conformance_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("sdk-conformance");
    std::fs::create_dir_all(&dir).expect("create target/sdk-conformance");
    dir
}

fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk_conformance")
}

fn run(cmd: &mut Command, what: &str) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    if !out.status.success() {
        panic!(
            "{what} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

fn require_tool(tool: &str, hint: &str) {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "`{tool}` is not available: the SDK conformance test needs it ({hint}). This test fails rather than skips."
    );
}

/// Builds `dir/<name>` with `build` in a fresh temporary directory, then
/// renames it into place, so concurrent runs never see a half-built tree.
fn build_atomically(dir: &Path, name: &str, build: impl FnOnce(&Path)) -> PathBuf {
    let dest = dir.join(name);
    let tmp = dir.join(format!("{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    build(&tmp);
    if std::fs::rename(&tmp, &dest).is_err() {
        // Someone else finished first; use theirs.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    dest
}

fn python_env(dir: &Path) -> PathBuf {
    require_tool(
        "python3",
        "install Python 3 with the venv module, e.g. apt-get install python3-venv",
    );
    let venv = dir.join("venv");
    let python = venv.join("bin/python");
    let ready = |python: &Path| {
        Command::new(python)
            .args(["-c", "import authorizenet.apicontrollers"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if ready(&python) {
        return python;
    }
    let _ = std::fs::remove_dir_all(&venv);
    build_atomically(dir, "venv", |tmp| {
        run(
            Command::new("python3").args(["-m", "venv"]).arg(tmp),
            "python3 -m venv",
        );
        run(
            Command::new(tmp.join("bin/python")).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                PY_SDK,
            ]),
            "pip install authorizenet==1.1.6",
        );
    });
    assert!(
        ready(&python),
        "the Python SDK does not import after installation"
    );
    python
}

fn node_env(dir: &Path) -> PathBuf {
    require_tool("node", "install Node.js");
    require_tool("npm", "install npm");
    let prefix = dir.join("node");
    let modules = prefix.join("node_modules");
    if modules.join("authorizenet/package.json").exists()
        && modules.join("axios/package.json").exists()
    {
        return modules;
    }
    let _ = std::fs::remove_dir_all(&prefix);
    build_atomically(dir, "node", |tmp| {
        std::fs::create_dir_all(tmp).expect("create node prefix");
        run(
            Command::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    "--prefix",
                ])
                .arg(tmp)
                .arg(NODE_SDK),
            "npm install authorizenet@1.0.10",
        );
    });
    modules
}

/// Serves a fresh sandbox (control endpoints on) on 127.0.0.1:0; returns its
/// base URL. The runtime lives as long as the returned guard.
fn start_sandbox() -> (tokio::runtime::Runtime, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let base = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let sandbox = Sandbox::new(SandboxConfig::for_tests());
        tokio::spawn(authnet_sandbox::serve(listener, sandbox));
        format!("http://{addr}")
    });
    (rt, base)
}

fn run_lifecycle(mut cmd: Command, sdk: &str) {
    let (_rt, base) = start_sandbox();
    cmd.arg(format!("{base}/xml/v1/request.api"))
        .arg(&base)
        .arg(DEFAULT_LOGIN)
        .arg(DEFAULT_TRANSACTION_KEY);
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{sdk}: cannot start the life-cycle script: {e}"));
    // Two minutes is far more than a run needs (about a second).
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().expect("wait").is_some() || std::time::Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if child.try_wait().expect("wait").is_none() {
        let _ = child.kill();
    }
    let out = child.wait_with_output().expect("script output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    let failed: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    let passed = stdout.lines().filter(|l| l.starts_with("PASS")).count();
    assert!(
        out.status.success() && failed.is_empty() && passed >= 27,
        "{sdk} life cycle: {passed} passed, {} failed ({}):\n{stdout}\n{stderr}",
        failed.len(),
        out.status
    );
}

#[test]
fn python_sdk_life_cycle_passes_against_the_sandbox() {
    let python = python_env(&conformance_dir());
    let mut cmd = Command::new(python);
    cmd.arg(scripts_dir().join("lifecycle.py"));
    run_lifecycle(cmd, "python authorizenet==1.1.6");
}

#[test]
fn node_sdk_life_cycle_passes_against_the_sandbox() {
    let modules = node_env(&conformance_dir());
    let mut cmd = Command::new("node");
    cmd.arg(scripts_dir().join("lifecycle.js"))
        .env("NODE_PATH", modules);
    run_lifecycle(cmd, "node authorizenet@1.0.10");
}
