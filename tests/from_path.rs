//! `Definition::from_path` and the rendering of its errors: a service that loads a file
//! through the library prints exactly what `leadspec check` prints for it.

use std::path::{Path, PathBuf};

use leadspec::{decode_utf8, Definition, DiagnosticCode};

/// Writes `bytes` to a file named `name` in a directory of this test's own, and returns
/// its path.
fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("from_path");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

const MISTAKES: &[u8] = b"[definition]\nname = \"Draft\"\n\n[teams]\nsales = \"Sales\"\n\n[fields]\nbudget = \"number\"\n\n[[stages]]\nid = \"lead\"\nonwer = \"sales\"\nwhen = \"budgett >= 1 and budget >= 'high'\"\n";

#[test]
fn a_valid_file_loads() {
    let definition = Definition::from_path(Path::new("examples/definitions/default.toml")).unwrap();
    assert_eq!(definition.name(), leadspec::default_definition().name());
}

#[test]
fn an_invalid_file_keeps_its_name_text_and_diagnostics() {
    let path = file("mistakes.toml", MISTAKES);
    let error = Definition::from_path(&path).unwrap_err();
    let name = path.to_string_lossy();
    assert_eq!(error.name(), name);
    assert_eq!(error.text().map(str::as_bytes), Some(MISTAKES));
    assert!(error.io_error().is_none());
    let codes: Vec<DiagnosticCode> = error.load_error().unwrap().errors().map(|d| d.code).collect();
    assert_eq!(codes, [DiagnosticCode::UnknownKey, DiagnosticCode::UnknownField, DiagnosticCode::TypeMismatch]);
    assert_eq!(
        error.to_string(),
        format!("{name}:12:1: error: unknown key `onwer` in [[stages]] (did you mean `owner`?) (and 2 more errors)")
    );
    let source = std::error::Error::source(&error).unwrap();
    assert_eq!(source.to_string(), error.load_error().unwrap().to_string());
}

#[test]
fn unreadable_files_say_why() {
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("from_path").join("no-such-file.toml");
    let error = Definition::from_path(&missing).unwrap_err();
    assert!(error.io_error().is_some() && error.load_error().is_none() && error.text().is_none());
    assert!(error.to_string().starts_with(&format!("cannot read `{}`: ", missing.display())), "{error}");

    let latin1 = file("latin1.toml", b"[definition]\nname = \"caf\xe9\"\n");
    let error = Definition::from_path(&latin1).unwrap_err();
    assert!(error.io_error().is_none() && error.load_error().is_none());
    assert_eq!(
        error.to_string(),
        format!("`{}` is not UTF-8 text: byte 0xE9 at line 2, column 12; save it as UTF-8", latin1.display())
    );
    let error = decode_utf8("utf16.toml", b"\xFE\xFF\0[".to_vec()).unwrap_err();
    assert_eq!(error.to_string(), "`utf16.toml` is UTF-16 text, not UTF-8; save it as UTF-8");
}

/// `leadspec check FILE`: what it prints, and its status.
#[cfg(feature = "cli")]
fn check(path: &Path) -> (String, i32) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_leadspec"))
        .args(["check", "--now", "2026-11-22"])
        .arg(path)
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

#[test]
#[cfg(feature = "cli")]
fn errors_render_as_check_prints_them() {
    let mut cases = vec![
        file("mistakes.toml", MISTAKES),
        file("latin1-rendered.toml", b"[definition]\nname = \"caf\xe9\"\n"),
        file("utf16.toml", b"\xFF\xFE[\0d\0"),
        file("empty.toml", b""),
        file("crlf.toml", &MISTAKES.iter().flat_map(|&b| if b == b'\n' { vec![b'\r', b'\n'] } else { vec![b] }).collect::<Vec<u8>>()),
        file("wide.toml", "[definition]\nname = \"é€😀\"\n[teams]\nt = \"T\"\n[[stages]]\nid = \"a\"\nowner = \"t\"\nwhen = \"\t😀 == 'é' and zz\"\n".as_bytes()),
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("from_path").join("no-such-file.toml"),
    ];
    cases.push(file("bom.toml", "\u{feff}[definition]\nname = 1\n".as_bytes()));
    for path in cases {
        let error = Definition::from_path(&path).unwrap_err();
        let (printed, status) = check(&path);
        assert_eq!(status, 1);
        // `check` adds one summary line per file when it could read it.
        let rendered = error.render();
        assert!(printed.starts_with(&rendered), "{}:\nlibrary:\n{rendered}\ncheck:\n{printed}", path.display());
        let rest = &printed[rendered.len()..];
        assert!(rest.is_empty() || rest.lines().count() == 1, "{rest:?}");
    }
}
