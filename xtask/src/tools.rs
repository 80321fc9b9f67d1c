//! Installs the toolchain the tasks need, idempotently and only from the
//! package registries. Each check is a cheap `--version` call, so a machine
//! that already has everything pays well under a second.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::sh;

/// Trunk 0.22 needs a newer rustc than this project's pinned toolchain.
const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen (v108) produces wasm that breaks at run time while the
/// build reports success; npm's binaryen 132 is the one Trunk.toml pins.
const BINARYEN_NPM: &str = "binaryen@132.0.0";
const WASM_OPT_VERSION: &str = "132";
/// Accessibility checks injected into the widget by the browser tests.
const AXE_NPM: &str = "axe-core@4.11.0";

#[derive(Clone, Copy)]
pub struct Needs {
    pub wasm: bool,
    pub browser: bool,
    pub postgres: bool,
}

impl Needs {
    pub fn all() -> Self {
        Needs {
            wasm: true,
            browser: true,
            postgres: true,
        }
    }
    pub fn widget() -> Self {
        Needs {
            wasm: true,
            browser: false,
            postgres: false,
        }
    }
}

/// Where the installed tools are, and the environment to run commands with.
pub struct ToolEnv {
    pub trunk: PathBuf,
    path: String,
    chromedriver: Option<PathBuf>,
}

impl ToolEnv {
    pub fn apply(&self, c: &mut Command) {
        c.env("PATH", &self.path);
        if let Some(d) = &self.chromedriver {
            c.env("CHROMEDRIVER", d);
        }
    }
}

fn version_of(program: &Path, arg: &str) -> Option<String> {
    let out = Command::new(program).arg(arg).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn home_cargo_bin() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"));
    cargo_home.join("bin")
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let (prog, pre): (&str, &[&str]) = if is_root() {
        ("apt-get", &[])
    } else {
        ("sudo", &["apt-get"])
    };
    sh(Command::new(prog).args(pre).arg("update"))?;
    sh(Command::new(prog)
        .args(pre)
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The exact `wasm-bindgen` version in Cargo.lock: the CLI must match it, or
/// Trunk tries to download one (and fails offline).
pub fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(v.trim_matches('"').to_string());
        }
    }
    bail!("wasm-bindgen not found in Cargo.lock")
}

fn find_in_path(name: &str, path: &str) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

pub fn ensure_all(root: &Path, needs: Needs) -> Result<ToolEnv> {
    let cargo_bin = home_cargo_bin();
    let npm_prefix = root.join("target/tools/npm");
    let npm_bin = npm_prefix.join("node_modules/.bin");
    let old_path = std::env::var("PATH").unwrap_or_default();
    let path = std::env::join_paths(
        [npm_bin.clone(), cargo_bin.clone()]
            .into_iter()
            .chain(std::env::split_paths(&old_path)),
    )?
    .to_string_lossy()
    .into_owned();

    // System packages first (one apt transaction for all that is missing).
    let mut apt: Vec<&str> = Vec::new();
    if needs.browser {
        if find_in_path("chromium", &path).is_none() {
            apt.push("chromium");
        }
        if find_in_path("chromedriver", &path).is_none() {
            apt.push("chromium-driver");
        }
        if find_in_path("python3", &path).is_none() {
            apt.extend(["python3", "python3-venv"]);
        }
    }
    if needs.wasm && find_in_path("npm", &path).is_none() {
        apt.extend(["nodejs", "npm"]);
    }
    if needs.postgres && crate::pg::find_bindir().is_none() {
        apt.push("postgresql");
    }
    if !apt.is_empty() {
        apt_install(&apt)?;
    }

    if needs.wasm {
        let installed = Command::new("rustup")
            .args(["target", "list", "--installed"])
            .current_dir(root)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
            .unwrap_or(false);
        if !installed {
            sh(Command::new("rustup")
                .args(["target", "add", "wasm32-unknown-unknown"])
                .current_dir(root))?;
        }
    }

    let trunk = cargo_bin.join("trunk");
    if needs.wasm {
        if !version_of(&trunk, "--version").is_some_and(|v| v.ends_with(TRUNK_VERSION)) {
            sh(Command::new("cargo")
                .args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"])
                .current_dir(root))?;
        }
        let wbg = locked_wasm_bindgen(root)?;
        let have = version_of(&cargo_bin.join("wasm-bindgen"), "--version");
        let runner = cargo_bin.join("wasm-bindgen-test-runner");
        if !have.is_some_and(|v| v.ends_with(&wbg)) || !runner.is_file() {
            // Without --locked: the CLI's own lockfile pins a webpki-roots
            // version the registry no longer serves.
            sh(Command::new("cargo")
                .args(["install", "wasm-bindgen-cli", "--version", &wbg, "--force"])
                .current_dir(root))?;
        }
        let wasm_opt = npm_bin.join("wasm-opt");
        let axe = npm_prefix.join("node_modules/axe-core/axe.min.js");
        let have_axe = !needs.browser || axe.is_file();
        if !have_axe
            || !version_of(&wasm_opt, "--version").is_some_and(|v| v.contains(WASM_OPT_VERSION))
        {
            std::fs::create_dir_all(&npm_prefix)?;
            sh(Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&npm_prefix)
                .args([BINARYEN_NPM, AXE_NPM]))?;
        }
        // `trunk build --offline` passes --offline to cargo: fetch first.
        sh(Command::new("cargo").arg("fetch").current_dir(root))?;
    }

    let chromedriver = if needs.browser {
        Some(find_in_path("chromedriver", &path).context("chromedriver not found after install")?)
    } else {
        None
    };
    Ok(ToolEnv {
        trunk,
        path,
        chromedriver,
    })
}
