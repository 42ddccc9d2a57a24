//! The CLI fed on standard input, or run on a real terminal: `script`
//! (util-linux, in every Debian) gives it a pseudo-terminal, and the test
//! answers once the question is on the screen.

use super::{require, text, Db};
use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a run on a terminal showed and how it ended.
pub struct Screen {
    pub code: Option<i32>,
    /// Everything the terminal showed (program output and echoed typing).
    pub shown: String,
}

fn quote(s: &std::ffi::OsStr) -> String {
    format!("'{}'", s.to_str().expect("utf-8 argument").replace('\'', "'\\''"))
}

impl Db {
    /// Runs with `input` as the whole of standard input (not a terminal).
    pub fn with_stdin(&self, args: &[&str], env: &[(&str, &str)], input: &[u8]) -> Output {
        let mut child = self
            .cmd(args, env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn bot-credentials");
        let mut stdin = child.stdin.take().expect("stdin");
        // A command that refuses before reading closes its end: not an error here.
        let _ = stdin.write_all(input);
        drop(stdin);
        child.wait_with_output().expect("wait")
    }

    /// As [`Db::with_stdin`], asserting exit 0; returns stdout.
    pub fn ok_stdin(&self, args: &[&str], input: &[u8]) -> String {
        let out = self.with_stdin(args, &[], input);
        assert_eq!(out.status.code(), Some(0), "{args:?} failed: {}", text(&out.stderr));
        text(&out.stdout)
    }

    /// Runs on a pseudo-terminal: waits until `question` is on the screen,
    /// then types `answer` and Enter.
    pub fn on_terminal(&self, args: &[&str], question: &str, answer: &str) -> Screen {
        require("script");
        let inner = self.cmd(args, &[]);
        let mut line = quote(inner.get_program());
        for a in inner.get_args() {
            line.push(' ');
            line.push_str(&quote(a));
        }
        let mut script = Command::new("script");
        script.env_clear();
        for (k, v) in inner.get_envs() {
            if let Some(v) = v {
                script.env(k, v);
            }
        }
        let mut child = script
            .env("SHELL", "/bin/sh")
            .args(["-qec", &line, "/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn script");
        let shown = Arc::new(Mutex::new(Vec::new()));
        let mut stdout = child.stdout.take().expect("stdout");
        let reader = {
            let shown = Arc::clone(&shown);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = stdout.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    shown.lock().expect("lock").extend_from_slice(&buf[..n]);
                }
            })
        };
        let start = Instant::now();
        while !text(&shown.lock().expect("lock")).contains(question) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "{question:?} never showed: {}",
                text(&shown.lock().expect("lock"))
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // The question is out; give the program a moment to turn echo off (hidden prompts) and read.
        std::thread::sleep(Duration::from_millis(300));
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(format!("{answer}\n").as_bytes()).expect("type the answer");
        let status = child.wait().expect("wait for script");
        drop(stdin);
        reader.join().expect("reader");
        let shown = text(&shown.lock().expect("lock"));
        Screen { code: status.code(), shown }
    }
}
