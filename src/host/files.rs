//! The one way this program opens a file that a project, a client or a setting names: regular
//! files only, opened without blocking, read up to a named size. A FIFO, a device, a socket or
//! a terminal (`/dev/stdin`, `/dev/zero`, `/proc/self/fd/0`, a `mkfifo` named `app.py`) is
//! refused before a single byte is read, so nothing named by a hostile project can block a
//! thread, read the server's own protocol stream or fill the memory.
//!
//! Rules, for every caller:
//! - the path is looked at with `stat` (links followed) and refused unless it is a regular
//!   file (for [`read_known_regular`], the caller has just done that look: its own `stat`,
//!   or a directory listing that gave the path as a regular file, not a link); it is then
//!   opened with `O_NONBLOCK` (on unix), so even a FIFO put there
//!   after the look cannot block the open, and the opened handle is checked again with `fstat`
//!   (whose size is the one checked against the limit);
//! - at most `limit` bytes are read; one more byte is asked for to tell a file of exactly
//!   `limit` bytes from a larger one, which is refused with a message naming the limit;
//! - the errors are [`io::Error`]s whose text says what the file is and why it is refused,
//!   ready to be shown to the user after the file's name.
//!
//! Whether a path may be read at all (inside the project) is the caller's decision
//! (`host::fs::RealFs` for project files); this module only decides how.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// What kind of file a metadata says, for messages (`a FIFO`, `a directory`).
#[must_use]
pub fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_file() {
        return "a regular file";
    }
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// The error for a file that is not a regular file.
fn not_regular(meta: &Metadata) -> io::Error {
    let kind = kind_of(meta);
    let text = if kind == "not a regular file" {
        "it is not a regular file".to_owned()
    } else {
        format!("it is {kind}, not a regular file")
    };
    io::Error::new(io::ErrorKind::InvalidInput, text)
}

/// `limit` bytes in words: `8 MiB`, `512 KiB`, `100 bytes`.
#[must_use]
pub fn size_text(limit: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if limit >= MIB && limit.is_multiple_of(MIB) {
        format!("{} MiB", limit / MIB)
    } else if limit >= KIB && limit.is_multiple_of(KIB) {
        format!("{} KiB", limit / KIB)
    } else {
        format!("{limit} bytes")
    }
}

/// The error for a file over `limit` bytes.
#[must_use]
pub fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "it is larger than {}, the most that is read",
            size_text(limit)
        ),
    )
}

/// Opens `path` for reading if it is a regular file (links followed), without ever blocking.
///
/// # Errors
/// The file is missing or unreadable (the system's error), or not a regular file.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    open_checked(path).map(|(file, _)| file)
}

/// Opens `path` without blocking and checks that the handle is a regular file: the file and
/// its metadata.
fn open_checked(path: &Path) -> io::Result<(File, Metadata)> {
    let file = open_nonblocking(path)?;
    // The path may have been replaced between the look and the open.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok((file, meta))
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // On a regular file `O_NONBLOCK` changes nothing; on a FIFO it makes the open return at
    // once instead of waiting for a writer.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Reads all of `reader`, refusing more than `limit` bytes.
///
/// # Errors
/// A read error, or more than `limit` bytes ([`too_large`]).
pub fn read_limited(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// The bytes of the regular file at `path`, at most `limit` of them.
///
/// # Errors
/// As [`open_regular`], or the file is larger than `limit` bytes ([`too_large`]).
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    read_checked(path, limit)
}

/// [`read_regular`] for a path the caller has just found to be a regular file (its own
/// `stat`, links followed, or a directory listing that gave it as a regular file, not a link):
/// that is the look before the open, so the path is not looked at a second time. The opened
/// handle is checked all the same.
///
/// # Errors
/// As [`read_regular`].
pub fn read_known_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    read_checked(path, limit)
}

/// Opens, checks and reads `path` (see [`read_regular`]).
fn read_checked(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let (file, meta) = open_checked(path)?;
    // The size the file claims, checked first so a huge file is refused without reading it.
    let claimed = meta.len();
    if claimed > limit {
        return Err(too_large(limit));
    }
    // Room for the whole file and the read that finds its end: one read, not a doubling
    // series (the file may still grow; the limit holds all the same).
    let mut bytes = Vec::with_capacity(usize::try_from(claimed).map_or(0, |n| n.saturating_add(1)));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// A reader that stops with an error once it has given `limit` bytes and more are coming, or
/// as soon as `cancelled()` says so: for streams whose size is unknown in advance (a
/// decompressed package list), checked on every read so a decompression bomb or a cancelled
/// load ends within one buffer's work.
pub struct Bounded<R, C> {
    inner: R,
    remaining: u64,
    limit: u64,
    cancelled: C,
}

impl<R: Read, C: Fn() -> bool> Bounded<R, C> {
    pub fn new(inner: R, limit: u64, cancelled: C) -> Self {
        Self {
            inner,
            remaining: limit,
            limit,
            cancelled,
        }
    }
}

/// The error a cancelled [`Bounded`] read returns.
#[must_use]
pub fn cancelled_error() -> io::Error {
    io::Error::other("cancelled")
}

impl<R: Read, C: Fn() -> bool> Read for Bounded<R, C> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if (self.cancelled)() {
            return Err(cancelled_error());
        }
        if buf.is_empty() {
            return Ok(0);
        }
        if self.remaining == 0 {
            // At the limit: the stream must end here.
            let mut one = [0u8; 1];
            return match self.inner.read(&mut one)? {
                0 => Ok(0),
                _ => Err(too_large(self.limit)),
            };
        }
        let room = usize::try_from(self.remaining).unwrap_or(usize::MAX);
        let n = buf.len().min(room);
        let got = self.inner.read(&mut buf[..n])?;
        self.remaining -= got as u64;
        Ok(got)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_within_the_limit_are_read() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_regular(&p, 5).unwrap(), b"12345");
        let e = read_regular(&p, 4).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(
            e.to_string(),
            "it is larger than 4 bytes, the most that is read"
        );
        let e = read_regular(tmp.path(), 4).unwrap_err();
        assert_eq!(e.to_string(), "it is a directory, not a regular file");
        // A path listed as a regular file is still refused if it is not one when opened.
        assert_eq!(read_known_regular(&p, 5).unwrap(), b"12345");
        let e = read_known_regular(tmp.path(), 4).unwrap_err();
        assert_eq!(e.to_string(), "it is a directory, not a regular file");
        let e = read_known_regular(&p, 4).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(
            read_regular(&tmp.path().join("missing"), 4)
                .unwrap_err()
                .kind(),
            io::ErrorKind::NotFound
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_the_standard_streams_are_refused_without_reading() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opening a FIFO for reading would wait for a writer; it is refused at once.
        let e = read_regular(&fifo, 10).unwrap_err();
        assert_eq!(e.to_string(), "it is a FIFO, not a regular file");
        // Put where a listing saw a regular file, it is refused once opened, without blocking.
        let e = read_known_regular(&fifo, 10).unwrap_err();
        assert_eq!(e.to_string(), "it is a FIFO, not a regular file");
        let e = read_regular(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(
            e.to_string(),
            "it is a character device, not a regular file"
        );
        // Whatever the test's standard input is (a terminal, a pipe, /dev/null), it is not read
        // (unless the tests were started with a regular file as input).
        if !std::fs::metadata("/dev/stdin").is_ok_and(|m| m.is_file()) {
            assert!(read_regular(Path::new("/dev/stdin"), 10).is_err());
            assert!(read_regular(Path::new("/proc/self/fd/0"), 10).is_err());
        }
    }

    #[test]
    fn bounded_reads_stop_at_the_limit_or_when_cancelled() {
        let data = [7u8; 100];
        let mut out = Vec::new();
        let r = Bounded::new(&data[..], 100, || false).read_to_end(&mut out);
        assert_eq!(r.unwrap(), 100);
        out.clear();
        let e = Bounded::new(&data[..], 99, || false)
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(out.len(), 99);
        let e = Bounded::new(&data[..], 100, || true)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(e.to_string(), "cancelled");
        assert_eq!(size_text(8 * 1024 * 1024), "8 MiB");
        assert_eq!(size_text(512 * 1024), "512 KiB");
    }
}
