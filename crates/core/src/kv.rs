//! The tiny key/value state machine that replicated logs drive: `set k v`, `get k`, and the
//! `no-op` a protocol may use to fill a slot.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use core::fmt;

/// Longest key or value accepted from a user (longer input is refused with a message).
pub const MAX_TEXT_LEN: usize = 16;

/// One client command.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Command {
    /// Write `value` under `key`.
    Set {
        /// The key.
        key: String,
        /// The new value.
        value: String,
    },
    /// Read `key` (goes through the log, so the read is linearizable).
    Get {
        /// The key.
        key: String,
    },
    /// Does nothing; fills a log slot.
    Noop,
}

/// Why a command's text was refused.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ParseCommandError {
    /// Not `set KEY VALUE`, `KEY=VALUE`, `get KEY` or `noop`.
    Syntax,
    /// A key or value longer than [`MAX_TEXT_LEN`] or not made of letters, digits, `_` or `-`.
    BadWord,
}

impl fmt::Display for ParseCommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseCommandError::Syntax => {
                f.write_str("expected `set KEY VALUE`, `KEY=VALUE`, `get KEY` or `noop`")
            }
            ParseCommandError::BadWord => {
                write!(f, "keys and values are 1 to {MAX_TEXT_LEN} letters, digits, '_' or '-'")
            }
        }
    }
}

fn word(s: &str) -> Result<String, ParseCommandError> {
    let ok = !s.is_empty()
        && s.len() <= MAX_TEXT_LEN
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(s.to_string())
    } else {
        Err(ParseCommandError::BadWord)
    }
}

impl Command {
    /// Parses `set x 5`, `x=5`, `get x` or `noop`.
    pub fn parse(text: &str) -> Result<Command, ParseCommandError> {
        let text = text.trim();
        if let Some((k, v)) = text.split_once('=') {
            return Ok(Command::Set { key: word(k.trim())?, value: word(v.trim())? });
        }
        let mut parts = text.split_whitespace();
        let cmd = match (parts.next(), parts.next(), parts.next()) {
            (Some("set"), Some(k), Some(v)) => Command::Set { key: word(k)?, value: word(v)? },
            (Some("get"), Some(k), None) => Command::Get { key: word(k)? },
            (Some("noop" | "no-op"), None, None) => Command::Noop,
            _ => return Err(ParseCommandError::Syntax),
        };
        if parts.next().is_some() {
            return Err(ParseCommandError::Syntax);
        }
        Ok(cmd)
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Set { key, value } => write!(f, "{key}={value}"),
            Command::Get { key } => write!(f, "get {key}"),
            Command::Noop => f.write_str("no-op"),
        }
    }
}

/// The replicated state: an ordered map, so it hashes and prints the same everywhere.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct KvStore {
    map: BTreeMap<String, String>,
}

impl KvStore {
    /// Applies one command and returns what a client would be answered (the value read, or the
    /// value written).
    pub fn apply(&mut self, command: &Command) -> Option<String> {
        match command {
            Command::Set { key, value } => {
                self.map.insert(key.clone(), value.clone());
                Some(value.clone())
            }
            Command::Get { key } => self.map.get(key).cloned(),
            Command::Noop => None,
        }
    }

    /// The current value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }

    /// All pairs in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_forms_and_errors() {
        let set = Command::Set { key: "x".into(), value: "5".into() };
        assert_eq!(Command::parse("set x 5"), Ok(set.clone()));
        assert_eq!(Command::parse(" x = 5 "), Ok(set.clone()));
        assert_eq!(Command::parse("get x"), Ok(Command::Get { key: "x".into() }));
        assert_eq!(Command::parse("noop"), Ok(Command::Noop));
        assert_eq!(Command::parse(&alloc::format!("{}", Command::Noop)), Ok(Command::Noop));
        assert_eq!(Command::parse("set x"), Err(ParseCommandError::Syntax));
        assert_eq!(Command::parse("set x 5 6"), Err(ParseCommandError::Syntax));
        assert_eq!(Command::parse("x=<script>"), Err(ParseCommandError::BadWord));
        assert_eq!(Command::parse("x=aaaaaaaaaaaaaaaaaaaaaaaa"), Err(ParseCommandError::BadWord));
        assert_eq!(alloc::format!("{set}"), "x=5");
    }

    #[test]
    fn apply_sets_and_gets() {
        let mut kv = KvStore::default();
        assert_eq!(kv.apply(&Command::parse("x=1").unwrap()), Some("1".into()));
        assert_eq!(kv.apply(&Command::parse("get x").unwrap()), Some("1".into()));
        assert_eq!(kv.apply(&Command::parse("get y").unwrap()), None);
        assert_eq!(kv.get("x"), Some("1"));
    }
}
