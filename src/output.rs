//! Writing output files safely: `gen -o`, `init -o` and [`crate::compile`]
//! all go through [`write_if_changed`].
//!
//! The output path is user input, and in CI often one nobody looked at
//! twice, so a plain `fs::write` is not enough:
//!
//! - A symlink is followed and its target replaced, as editors do, so a link
//!   into a shared tree stays a link.
//! - Only a regular file or a new path is written. Renaming over a device
//!   node replaces it (as root), a FIFO blocks the comparing read forever,
//!   `/dev/zero` has no end, and a directory is never what was meant.
//! - The catalogue itself is refused: a slip in `-o` would destroy it.
//! - The old file is read only up to the new content's length plus one
//!   byte, enough to tell "unchanged" (write nothing, so cargo rebuilds
//!   nothing) from "changed".
//! - The new content goes to a temporary file created exclusively
//!   (`O_CREAT | O_EXCL`, which never follows a symlink) under an
//!   unguessable name in the target's directory, gets the old file's
//!   permissions, and is renamed over the target, so a reader never sees
//!   half a file.
//!
//! std only: build scripts reach this through `compile()`, and their
//! dependency tree should stay small.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Why an output path is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A directory.
    Directory,
    /// A character device (`/dev/null`).
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A FIFO (named pipe).
    Fifo,
    /// A Unix socket.
    Socket,
    /// Some other kind of file that is not a regular file.
    NotAFile,
    /// The path is the catalogue the output is generated from.
    Catalogue,
}

impl Refusal {
    /// What the path is, as a noun phrase.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Refusal::Directory => "a directory",
            Refusal::CharDevice => "a character device",
            Refusal::BlockDevice => "a block device",
            Refusal::Fifo => "a FIFO (named pipe)",
            Refusal::Socket => "a socket",
            Refusal::NotAFile => "not a regular file",
            Refusal::Catalogue => "the catalogue being read",
        }
    }

    fn of(metadata: &Metadata) -> Option<Refusal> {
        let kind = metadata.file_type();
        if kind.is_file() {
            return None;
        }
        if kind.is_dir() {
            return Some(Refusal::Directory);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_char_device() {
                return Some(Refusal::CharDevice);
            }
            if kind.is_block_device() {
                return Some(Refusal::BlockDevice);
            }
            if kind.is_fifo() {
                return Some(Refusal::Fifo);
            }
            if kind.is_socket() {
                return Some(Refusal::Socket);
            }
        }
        Some(Refusal::NotAFile)
    }
}

/// Writes `contents` to `path` unless the file already holds exactly that,
/// so an unchanged catalogue triggers no rebuild. Returns whether it wrote.
/// See the module docs for what is refused and how the write is done.
pub fn write_if_changed(path: &Path, contents: &str) -> Result<bool, Error> {
    write_output(path, contents.as_bytes(), &[])
}

/// [`write_if_changed`], also refusing to overwrite any of `protected`
/// (the catalogue).
pub(crate) fn write_output(
    path: &Path,
    contents: &[u8],
    protected: &[&Path],
) -> Result<bool, Error> {
    let output = Output::inspect(path, protected)?;
    let limit = contents.len() as u64 + 1;
    if output.read_existing(limit)?.as_deref() == Some(contents) {
        return Ok(false);
    }
    output.replace(contents).map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(true)
}

/// An output path that passed the checks: symlinks followed, and either
/// nothing or a regular file at the end.
#[derive(Debug)]
pub struct Output {
    /// The path as the user gave it, for messages.
    path: PathBuf,
    /// `path` with every symlink followed: the name to replace.
    target: PathBuf,
    /// The regular file now at `target`, if any.
    existing: Option<Metadata>,
}

impl Output {
    /// Follows symlinks from `path` and checks what is at the end.
    pub fn inspect(path: &Path, protected: &[&Path]) -> Result<Output, Error> {
        let write_error = |source| Error::Write {
            path: path.to_owned(),
            source,
        };
        let target = follow_symlinks(path).map_err(write_error)?;
        let existing = match fs::symlink_metadata(&target) {
            Ok(metadata) => Some(metadata),
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(error) => return Err(write_error(error)),
        };
        let refuse = |reason| Error::RefusedOutput {
            path: path.to_owned(),
            target: target.clone(),
            reason,
        };
        if let Some(metadata) = &existing {
            if let Some(reason) = Refusal::of(metadata) {
                return Err(refuse(reason));
            }
            if protected
                .iter()
                .any(|protected| same_file(&target, metadata, protected))
            {
                return Err(refuse(Refusal::Catalogue));
            }
        }
        Ok(Output {
            path: path.to_owned(),
            target,
            existing,
        })
    }

    /// The existing file's first `limit` bytes, or `None` when there is no
    /// file yet.
    pub fn read_existing(&self, limit: u64) -> Result<Option<Vec<u8>>, Error> {
        if self.existing.is_none() {
            return Ok(None);
        }
        let read_error = |source| Error::ReadOutput {
            path: self.path.clone(),
            source,
        };
        let file = File::open(&self.target).map_err(read_error)?;
        // The path may have changed since `inspect`; what was opened counts.
        let metadata = file.metadata().map_err(read_error)?;
        if let Some(reason) = Refusal::of(&metadata) {
            return Err(Error::RefusedOutput {
                path: self.path.clone(),
                target: self.target.clone(),
                reason,
            });
        }
        read_at_most(file, limit).map(Some).map_err(read_error)
    }

    /// The existing file's length, if there is one.
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub fn existing_len(&self) -> Option<u64> {
        self.existing.as_ref().map(Metadata::len)
    }

    /// Replaces the target with `contents` through an exclusive temp file.
    pub(crate) fn replace(&self, contents: &[u8]) -> io::Result<()> {
        let dir = match self.target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = self
            .target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
        let (file, tmp) = create_temp(
            dir,
            &name.to_string_lossy(),
            self.existing.is_some(),
            random_suffix,
        )?;
        let result = self
            .fill(file, contents)
            .and_then(|()| fs::rename(&tmp, &self.target));
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    fn fill(&self, mut file: File, contents: &[u8]) -> io::Result<()> {
        if let Some(existing) = &self.existing {
            file.set_permissions(existing.permissions())?;
        }
        file.write_all(contents)?;
        file.sync_all()
    }
}

/// Reads at most `limit` bytes, however long the file is.
pub(crate) fn read_at_most(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `path` with every symlink followed, as far as the links lead; the end
/// may not exist yet (a dangling link names the file to create).
fn follow_symlinks(path: &Path) -> io::Result<PathBuf> {
    // Linux's limit on links in one lookup.
    const MAX_LINKS: usize = 40;
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(path),
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(path),
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Whether `target` (with `metadata`) and `other` are the same file.
fn same_file(target: &Path, metadata: &Metadata, other: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = target;
        fs::metadata(other)
            .is_ok_and(|other| other.dev() == metadata.dev() && other.ino() == metadata.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        match (fs::canonicalize(target), fs::canonicalize(other)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Creates `dir/.NAME.SUFFIX.tmp` exclusively, trying fresh suffixes while
/// the name is taken. `create_new` is `O_CREAT | O_EXCL`: it fails on any
/// existing name, a symlink included, so nothing planted there is followed.
fn create_temp(
    dir: &Path,
    name: &str,
    replacing: bool,
    mut suffix: impl FnMut() -> u64,
) -> io::Result<(File, PathBuf)> {
    const TRIES: usize = 16;
    let mut last = None;
    for _ in 0..TRIES {
        let tmp = dir.join(format!(".{name}.{:016x}.tmp", suffix()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if replacing {
            // Private until it gets the old file's permissions.
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        #[cfg(not(unix))]
        let _ = replacing;
        match options.open(&tmp) {
            Ok(file) => return Ok((file, tmp)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => last = Some(error),
            Err(error) => return Err(error),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// 64 unguessable bits. std's `RandomState` is keyed from the operating
/// system's random source, and SipHash under an unknown key gives nothing
/// away; the counter and clock make each call differ.
fn random_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(now.as_nanos());
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that never ends and counts what it hands out.
    struct Endless {
        handed_out: u64,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            buf.fill(b'x');
            self.handed_out += buf.len() as u64;
            Ok(buf.len())
        }
    }

    #[test]
    fn reading_stops_at_the_limit_even_on_an_endless_source() {
        let mut source = Endless { handed_out: 0 };
        let bytes = read_at_most(&mut source, 1001).unwrap();
        assert_eq!(bytes.len(), 1001);
        assert_eq!(source.handed_out, 1001);
    }

    #[test]
    fn random_suffixes_differ() {
        let suffixes: std::collections::HashSet<u64> = (0..1000).map(|_| random_suffix()).collect();
        assert_eq!(suffixes.len(), 1000);
    }

    #[cfg(unix)]
    #[test]
    fn a_taken_temp_name_is_skipped_and_a_symlink_there_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let planted = dir.path().join(".keys.rs.0000000000000001.tmp");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let mut suffixes = [1, 2].into_iter();
        let (mut file, tmp) =
            create_temp(dir.path(), "keys.rs", false, || suffixes.next().unwrap()).unwrap();
        file.write_all(b"new").unwrap();
        assert_eq!(tmp, dir.path().join(".keys.rs.0000000000000002.tmp"));
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(
            fs::symlink_metadata(&planted)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_chain_is_followed_to_a_file_that_does_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("b", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("sub/c", dir.path().join("b")).unwrap();
        assert_eq!(
            follow_symlinks(&dir.path().join("a")).unwrap(),
            dir.path().join("sub/c")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("b", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        let error = follow_symlinks(&dir.path().join("a")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("too many levels of symbolic links")
        );
    }
}
