//! Real servers for the tests, on 127.0.0.1 only: redis-server (single
//! nodes and a 3-node cluster) and memcached, each killed on drop, with
//! small RESP and memcached text-protocol clients over `TcpStream`.
//!
//! A missing binary skips the test, except under CI (`CI=true`), where it
//! fails: `.ci/run` installs `redis-server` and `memcached`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const IO_TIMEOUT: Duration = Duration::from_secs(10);
const STARTUP_TIMEOUT: Duration = Duration::from_secs(10);

/// The binary `name` on PATH; `None` (the test returns early) when it is
/// missing outside CI, a panic under CI.
pub fn binary(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "`{name}` is not installed; under CI it must be (.ci/run installs it)"
        );
        eprintln!("skipped: `{name}` is not installed (CI installs it)");
    }
    found
}

/// The ports this test process has handed out: the tests run in parallel
/// in one process, and two servers must never be given one port (the
/// second would fail to bind while the first answered its readiness check).
static TAKEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());

/// A port that is free now, and whose cluster bus port (+10000) is too,
/// never handed out before in this process.
fn free_port(seed: &mut u64) -> u16 {
    loop {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let port = 20_000 + (*seed % 25_000) as u16;
        let free = |p: u16| TcpListener::bind((Ipv4Addr::LOCALHOST, p)).is_ok();
        let mut taken = TAKEN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !taken.contains(&port) && free(port) && free(port + 10_000) {
            taken.push(port);
            return port;
        }
    }
}

fn seed() -> u64 {
    // Tests share the process: a counter keeps two seeds taken in one
    // clock tick apart.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    (nanos ^ u64::from(std::process::id()).rotate_left(32) ^ call.rotate_left(48)) | 1
}

/// A child process killed on drop.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn spawn(mut command: Command, port: u16, what: &str) -> Result<Server, String> {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let child = command
            .spawn()
            .map_err(|e| format!("cannot run {what}: {e}"))?;
        let mut server = Server {
            child,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        };
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = server.child.try_wait().map_err(|e| e.to_string())? {
                let mut stderr = String::new();
                if let Some(mut pipe) = server.child.stderr.take() {
                    let _ = pipe.read_to_string(&mut stderr);
                }
                return Err(format!(
                    "{what} on port {port} exited with {status}: {stderr}"
                ));
            }
            if TcpStream::connect(server.addr).is_ok() {
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(format!("{what} on port {port} did not accept connections"))
    }

    /// One redis-server; with `cluster`, a cluster-enabled node keeping its
    /// state in `dir`.
    pub fn redis(binary: &Path, dir: &Path, cluster: bool, seed_: &mut u64) -> Server {
        let mut failures = Vec::new();
        for _ in 0..5 {
            let port = free_port(seed_);
            let mut command = Command::new(binary);
            command.args(["--port", &port.to_string(), "--bind", "127.0.0.1"]);
            command.args(["--save", "", "--appendonly", "no", "--daemonize", "no"]);
            command.arg("--dir").arg(dir);
            if cluster {
                command.args(["--cluster-enabled", "yes"]);
                command.args(["--cluster-config-file", &format!("nodes-{port}.conf")]);
            }
            match Server::spawn(command, port, "redis-server") {
                Ok(server) => return server,
                Err(e) => failures.push(e),
            }
        }
        panic!("redis-server did not start:\n{}", failures.join("\n"));
    }

    pub fn memcached(binary: &Path) -> Server {
        let mut failures = Vec::new();
        let mut seed_ = seed();
        for _ in 0..5 {
            let port = free_port(&mut seed_);
            let mut command = Command::new(binary);
            command.args([
                "-l",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-U",
                "0",
                "-m",
                "64",
            ]);
            if running_as_root() {
                command.args(["-u", "root"]);
            }
            match Server::spawn(command, port, "memcached") {
                Ok(server) => return server,
                Err(e) => failures.push(e),
            }
        }
        panic!("memcached did not start:\n{}", failures.join("\n"));
    }
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

pub fn new_seed() -> u64 {
    seed()
}

/// A RESP reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    Status(String),
    Error(String),
    Int(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

impl Reply {
    pub fn text(&self) -> String {
        match self {
            Reply::Status(s) | Reply::Error(s) => s.clone(),
            Reply::Bulk(Some(b)) => String::from_utf8_lossy(b).into_owned(),
            other => format!("{other:?}"),
        }
    }
}

/// A RESP connection.
pub struct Redis {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Redis {
    pub fn connect(addr: SocketAddr) -> Redis {
        let stream = TcpStream::connect(addr).expect("connect to redis");
        stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        stream.set_nodelay(true).unwrap();
        stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
        Redis {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        }
    }

    pub fn send(&mut self, args: &[&[u8]]) {
        let mut buf = format!("*{}\r\n", args.len()).into_bytes();
        for arg in args {
            buf.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
            buf.extend_from_slice(arg);
            buf.extend_from_slice(b"\r\n");
        }
        self.writer.write_all(&buf).unwrap();
    }

    pub fn read(&mut self) -> Reply {
        let mut line = Vec::new();
        self.reader.read_until(b'\n', &mut line).unwrap();
        assert!(line.ends_with(b"\r\n"), "truncated reply: {line:?}");
        let text = String::from_utf8_lossy(&line[1..line.len() - 2]).into_owned();
        match line[0] {
            b'+' => Reply::Status(text),
            b'-' => Reply::Error(text),
            b':' => Reply::Int(text.parse().unwrap()),
            b'$' => {
                let len: i64 = text.parse().unwrap();
                if len < 0 {
                    return Reply::Bulk(None);
                }
                let mut data = vec![0; len as usize + 2];
                self.reader.read_exact(&mut data).unwrap();
                data.truncate(len as usize);
                Reply::Bulk(Some(data))
            }
            b'*' => {
                let len: i64 = text.parse().unwrap();
                if len < 0 {
                    return Reply::Array(None);
                }
                Reply::Array(Some((0..len).map(|_| self.read()).collect()))
            }
            other => panic!("unknown RESP type {other:?}"),
        }
    }

    pub fn cmd(&mut self, args: &[&str]) -> Reply {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        self.send(&args);
        self.read()
    }
}

/// A memcached text-protocol connection.
pub struct Memcached {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Memcached {
    pub fn connect(addr: SocketAddr) -> Memcached {
        let stream = TcpStream::connect(addr).expect("connect to memcached");
        stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        // One request is several small writes: without this, Nagle and
        // delayed ACKs stall each request for tens of milliseconds.
        stream.set_nodelay(true).unwrap();
        Memcached {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        line.trim_end().to_owned()
    }

    pub fn set(&mut self, key: &str, value: &str) {
        write!(self.writer, "set {key} 0 0 {}\r\n{value}\r\n", value.len()).unwrap();
        assert_eq!(self.line(), "STORED", "set {key}");
    }

    pub fn get(&mut self, key: &str) -> Option<String> {
        write!(self.writer, "get {key}\r\n").unwrap();
        let header = self.line();
        if header == "END" {
            return None;
        }
        assert!(header.starts_with(&format!("VALUE {key} ")), "{header}");
        let value = self.line();
        assert_eq!(self.line(), "END");
        Some(value)
    }

    pub fn delete(&mut self, key: &str) {
        write!(self.writer, "delete {key}\r\n").unwrap();
        let reply = self.line();
        assert!(
            reply == "DELETED" || reply == "NOT_FOUND",
            "delete {key}: {reply}"
        );
    }

    /// `add` as 0 (memcached's `incr` does not create keys), then `incr`.
    pub fn incr(&mut self, key: &str) -> u64 {
        write!(self.writer, "add {key} 0 0 1\r\n0\r\n").unwrap();
        let reply = self.line();
        assert!(
            reply == "STORED" || reply == "NOT_STORED",
            "add {key}: {reply}"
        );
        write!(self.writer, "incr {key} 1\r\n").unwrap();
        self.line().parse().expect("incr answers the new value")
    }
}
