//! Definition files: their bytes read as UTF-8 text, and the error that names the file.

use std::error::Error;
use std::fmt;
use std::io;

use super::LoadError;

/// Why a definition file did not load: it could not be read, it is not UTF-8 text, or the
/// definition in it has errors. Made by [`Definition::from_path`](crate::Definition::from_path)
/// and [`decode_utf8`].
///
/// Its message names the file: ``cannot read `acme.toml`: ...``, `` `acme.toml` is not
/// UTF-8 text: ...``, or `acme.toml:LINE:COL: error: ...` with the first error of the
/// definition. With the feature `render`, `FileError::render` gives every problem as
/// `leadspec check` prints it.
///
/// ```
/// let error = leadspec::Definition::from_path("no/such/definition.toml").unwrap_err();
/// assert_eq!(error.name(), "no/such/definition.toml");
/// assert!(error.to_string().starts_with("cannot read `no/such/definition.toml`: "));
/// assert!(error.io_error().is_some() && error.load_error().is_none());
/// ```
#[derive(Debug)]
pub struct FileError {
    name: String,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// The file could not be read.
    Read(io::Error),
    /// The bytes are not UTF-8; the message says where, or that they are UTF-16.
    NotUtf8(String),
    /// The text was read, and the definition does not load.
    Invalid { text: String, error: LoadError },
}

impl FileError {
    pub(crate) fn read(name: &str, error: io::Error) -> FileError {
        FileError { name: name.to_string(), kind: Kind::Read(error) }
    }

    pub(crate) fn invalid(name: &str, text: String, error: LoadError) -> FileError {
        FileError { name: name.to_string(), kind: Kind::Invalid { text, error } }
    }

    /// The file's name as given: its path, as text.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The definition's diagnostics, when the file was read but the definition does not load.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("leadspec-doc-load-error-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("draft.toml");
    /// std::fs::write(&path, "[definition]\nname = \"Draft\"\n").unwrap();
    /// let error = leadspec::Definition::from_path(&path).unwrap_err();
    /// let codes: Vec<&str> = error.load_error().unwrap().errors().map(|d| d.code.as_str()).collect();
    /// assert_eq!(codes, ["missing-key", "missing-key"]); // no [teams], no [[stages]]
    /// assert_eq!(error.text(), Some("[definition]\nname = \"Draft\"\n"));
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn load_error(&self) -> Option<&LoadError> {
        match &self.kind {
            Kind::Invalid { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The file's text, when it was read and is UTF-8 (the definition in it does not load).
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Invalid { text, .. } => Some(text),
            _ => None,
        }
    }

    /// Why the file could not be read, when it could not.
    pub fn io_error(&self) -> Option<&io::Error> {
        match &self.kind {
            Kind::Read(error) => Some(error),
            _ => None,
        }
    }

    /// The error as `leadspec check` prints it: `NAME: error: MESSAGE` when the file could
    /// not be read as text, or every diagnostic of the definition with its source line and
    /// a caret (see [`LoadError::render`]). Feature `render`.
    ///
    /// ```
    /// let error = leadspec::decode_utf8("latin1.toml", b"name = \"caf\xe9\"\n".to_vec()).unwrap_err();
    /// assert_eq!(
    ///     error.render(),
    ///     "latin1.toml: error: `latin1.toml` is not UTF-8 text: byte 0xE9 at line 1, column 12; save it as UTF-8\n"
    /// );
    /// ```
    #[cfg(feature = "render")]
    pub fn render(&self) -> String {
        match &self.kind {
            Kind::Invalid { text, error } => error.render(&self.name, text),
            _ => format!("{}: error: {self}\n", self.name),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Read(error) => write!(f, "cannot read `{}`: {error}", self.name),
            Kind::NotUtf8(message) => f.write_str(message),
            Kind::Invalid { error, .. } if error.errors().next().is_some() => write!(f, "{}:{error}", self.name),
            Kind::Invalid { error, .. } => write!(f, "{}: {error}", self.name),
        }
    }
}

impl Error for FileError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            Kind::Read(error) => Some(error),
            Kind::NotUtf8(_) => None,
            Kind::Invalid { error, .. } => Some(error),
        }
    }
}

/// The text of a file named `name` from its bytes, or why they are not UTF-8 text: where
/// the first bad byte is (line and column, counted in characters), or that the text is
/// UTF-16, as some Windows tools write. The messages are those of
/// [`Definition::from_path`](crate::Definition::from_path) and of the command line; use
/// this for bytes read some other way (standard input, an upload).
///
/// ```
/// use leadspec::decode_utf8;
/// assert_eq!(decode_utf8("a.toml", b"name = \"x\"".to_vec()).unwrap(), "name = \"x\"");
/// let error = decode_utf8("a.toml", b"[definition]\nname = \"caf\xe9\"\n".to_vec()).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "`a.toml` is not UTF-8 text: byte 0xE9 at line 2, column 12; save it as UTF-8"
/// );
/// let error = decode_utf8("a.toml", b"\xFF\xFE[\0".to_vec()).unwrap_err();
/// assert_eq!(error.to_string(), "`a.toml` is UTF-16 text, not UTF-8; save it as UTF-8");
/// ```
pub fn decode_utf8(name: &str, bytes: Vec<u8>) -> Result<String, FileError> {
    String::from_utf8(bytes)
        .map_err(|e| FileError { name: name.to_string(), kind: Kind::NotUtf8(not_utf8(name, e.as_bytes())) })
}

/// Why `bytes`, which are not UTF-8, cannot be read: where the first bad byte is (line and
/// column, counted in characters), or that the text is UTF-16.
fn not_utf8(name: &str, bytes: &[u8]) -> String {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return format!("`{name}` is UTF-16 text, not UTF-8; save it as UTF-8");
    }
    let valid = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len);
    let before = String::from_utf8_lossy(&bytes[..valid]);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let byte = bytes.get(valid).copied().unwrap_or(0);
    format!("`{name}` is not UTF-8 text: byte 0x{byte:02X} at line {line}, column {column}; save it as UTF-8")
}

#[cfg(test)]
mod tests {
    use super::not_utf8;

    #[test]
    fn not_utf8_names_the_byte_line_and_column() {
        assert_eq!(
            not_utf8("a.toml", b"[definition]\nname = \"caf\xe9\"\n"),
            "`a.toml` is not UTF-8 text: byte 0xE9 at line 2, column 12; save it as UTF-8"
        );
        assert_eq!(
            not_utf8("a.toml", b"\xC3\xA9\n\xE2\x82\xACx\x80"),
            "`a.toml` is not UTF-8 text: byte 0x80 at line 2, column 3; save it as UTF-8"
        );
        assert_eq!(not_utf8("a.toml", b"\xFF\xFE[\0"), "`a.toml` is UTF-16 text, not UTF-8; save it as UTF-8");
    }
}
