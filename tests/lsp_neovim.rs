//! `leadspec lsp` in a real editor: Neovim, headless, starts the server from a tiny
//! `init.lua` on a definition with a known error, waits for the diagnostics it publishes
//! (`vim.diagnostic.get`) and writes them to a file, which the test checks: the message,
//! the line, and the columns Neovim derived from the server's UTF-16 positions (bytes, with
//! non-ASCII text and an emoji before the error).
//!
//! Neovim must be installed (`apt-get install -y neovim`; `.ci/run` does it): without
//! `nvim` the test fails, unless `LEADSPEC_SKIP_NVIM=1` is set.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `budgett` is no field; before it on its line: `ë` (2 bytes), `出` (3) and `😀` (4, two
/// UTF-16 units), so it starts at character 37, UTF-16 unit 38 and byte 43.
const DEFINITION: &str = r#"[definition]
name = "Zoë's leads"

[teams]
sales = "Sales 出"

[fields]
budget = "number"
contact_name = "string"

[[stages]]
id = "deal"
owner = "sales"
when = "contact_name == 'Zoë 出😀' and budgett >= 1"
"#;

/// Starts the server for the current buffer (`vim.lsp.start` from Neovim 0.8; before it,
/// `start_client` and `buf_attach_client`, as Debian 12's Neovim 0.7 needs), waits for
/// diagnostics, and writes one line per diagnostic: 0-based line, byte column, end line,
/// end column, severity, message.
const INIT_LUA: &str = r#"
local bin, file, out = BIN, FILE, OUT
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local config = { name = 'leadspec', cmd = { bin, 'lsp' }, root_dir = vim.fn.fnamemodify(file, ':h') }
if vim.lsp.start then
  vim.lsp.start(config)
else
  vim.lsp.buf_attach_client(0, vim.lsp.start_client(config))
end
local found = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 20)
local lines = {}
if not found then
  lines = { 'no diagnostics within 20 s' }
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format('%d:%d-%d:%d %d %s', d.lnum, d.col, d.end_lnum, d.end_col, d.severity, d.message))
end
vim.fn.writefile(lines, out)
vim.cmd('qall!')
"#;

/// Whether `nvim` can be run.
fn neovim_installed() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A fresh directory for this test's files.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadspec-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A Lua string literal of `path`.
fn lua_string(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 path");
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[test]
fn neovim_shows_the_servers_diagnostics() {
    if !neovim_installed() {
        if std::env::var("LEADSPEC_SKIP_NVIM").as_deref() == Ok("1") {
            eprintln!("skipped: nvim is not installed and LEADSPEC_SKIP_NVIM=1");
            return;
        }
        panic!(
            "nvim is not installed: install Neovim (`apt-get install -y neovim`) to run this test, \
             or set LEADSPEC_SKIP_NVIM=1 to skip it"
        );
    }
    let dir = scratch();
    let definition = dir.join("definition.toml");
    let out = dir.join("diagnostics.txt");
    let init = dir.join("init.lua");
    std::fs::write(&definition, DEFINITION).unwrap();
    let lua = INIT_LUA.replace(
        "BIN, FILE, OUT",
        &format!(
            "{}, {}, {}",
            lua_string(Path::new(env!("CARGO_BIN_EXE_leadspec"))),
            lua_string(&definition),
            lua_string(&out)
        ),
    );
    std::fs::write(&init, lua).unwrap();

    // No user configuration, no shada or swap files; the init file does everything.
    let mut nvim = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(&init)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = nvim.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = nvim.kill();
            panic!("nvim did not exit within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "nvim exited with {status}");
    let written = std::fs::read_to_string(&out).expect("init.lua wrote the diagnostics");
    // Line 13 (0-based), bytes 43..50 (`budgett`), severity 1 (error), `check`'s message.
    assert_eq!(written, "13:43-13:50 1 unknown field `budgett` (did you mean `budget`?)\n");
    let _ = std::fs::remove_dir_all(&dir);
}
