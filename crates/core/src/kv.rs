//! The tiny key/value state machine that replicated logs drive: `set k v`, `get k`, and the
//! `no-op` a protocol may use to fill a slot.

use crate::vecmap::VecMap;
use alloc::string::{String, ToString};
use core::fmt;

/// Longest key or value accepted from a user (longer input is refused with a message).
pub const MAX_TEXT_LEN: usize = 16;

/// A key or a value: 1 to [`MAX_TEXT_LEN`] ASCII letters, digits, `_` or `-`, stored inline.
/// No heap allocation, so a log entry is a few dozen bytes and cloning a log (a time-travel
/// checkpoint) copies no strings.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Word {
    len: u8,
    bytes: [u8; MAX_TEXT_LEN],
}

impl Word {
    /// `s` as a word, if it is one.
    pub fn new(s: &str) -> Result<Word, ParseCommandError> {
        let ok = !s.is_empty()
            && s.len() <= MAX_TEXT_LEN
            && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
        if !ok {
            return Err(ParseCommandError::BadWord);
        }
        let mut bytes = [0; MAX_TEXT_LEN];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Ok(Word { len: s.len() as u8, bytes })
    }

    /// The decimal digits of `n` (below 10^16, which is all a word holds: larger numbers are
    /// reduced modulo 10^16).
    pub fn number(n: u64) -> Word {
        let mut n = n % 10_000_000_000_000_000;
        let mut digits = [0u8; MAX_TEXT_LEN];
        let mut len = 0;
        loop {
            digits[len] = b'0' + (n % 10) as u8;
            len += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        digits[..len].reverse();
        Word { len: len as u8, bytes: digits }
    }

    /// The one-letter word `c` (an ASCII letter).
    pub const fn letter(c: u8) -> Word {
        let mut bytes = [0; MAX_TEXT_LEN];
        bytes[0] = if c.is_ascii_alphabetic() { c } else { b'x' };
        Word { len: 1, bytes }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only ASCII ever enters a word (checked in `new`, digits in `number`).
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl Ord for Word {
    /// The order of the texts, compared as bytes (as `str` compares them), without checking
    /// each time that they are UTF-8: the state machine's map compares words on every apply.
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.bytes[..usize::from(self.len)].cmp(&other.bytes[..usize::from(other.len)])
    }
}

impl PartialOrd for Word {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl core::ops::Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// One client command.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Command {
    /// Write `value` under `key`.
    Set {
        /// The key.
        key: Word,
        /// The new value.
        value: Word,
    },
    /// Read `key` (goes through the log, so the read is linearizable).
    Get {
        /// The key.
        key: Word,
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

fn word(s: &str) -> Result<Word, ParseCommandError> {
    Word::new(s)
}

impl Command {
    /// A command of the swarm and benchmark workloads: a key among x, y, z, w, a value in
    /// 0..=99, and (when `reads`) a read one time in five.
    pub fn random(rng: &mut crate::Prng, reads: bool) -> Command {
        const KEYS: [Word; 4] =
            [Word::letter(b'x'), Word::letter(b'y'), Word::letter(b'z'), Word::letter(b'w')];
        let key = KEYS[rng.below(KEYS.len() as u64) as usize];
        if reads && rng.chance(1, 5) {
            Command::Get { key }
        } else {
            Command::Set { key, value: Word::number(rng.between(0, 99)) }
        }
    }

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

/// The replicated state: an ordered map (a handful of keys), so it hashes and prints the same
/// everywhere.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct KvStore {
    map: VecMap<Word, Word>,
}

impl KvStore {
    /// Applies one command and returns what a client would be answered (the value read, or the
    /// value written).
    pub fn apply(&mut self, command: &Command) -> Option<String> {
        self.apply_word(command).map(|w| w.to_string())
    }

    /// [`KvStore::apply`], with the result as a [`Word`]: no allocation, for a caller that
    /// turns it into text only if it shows it.
    pub fn apply_word(&mut self, command: &Command) -> Option<Word> {
        match command {
            Command::Set { key, value } => {
                self.map.insert(*key, *value);
                Some(*value)
            }
            Command::Get { key } => self.map.get(key).copied(),
            Command::Noop => None,
        }
    }

    /// The current value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        let key = Word::new(key).ok()?;
        self.map.get(&key).map(Word::as_str)
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
        let set = Command::Set { key: Word::new("x").unwrap(), value: Word::new("5").unwrap() };
        assert_eq!(Command::parse("set x 5"), Ok(set.clone()));
        assert_eq!(Command::parse(" x = 5 "), Ok(set.clone()));
        assert_eq!(Command::parse("get x"), Ok(Command::Get { key: Word::new("x").unwrap() }));
        assert_eq!(Command::parse("noop"), Ok(Command::Noop));
        assert_eq!(Command::parse(&alloc::format!("{}", Command::Noop)), Ok(Command::Noop));
        assert_eq!(Command::parse("set x"), Err(ParseCommandError::Syntax));
        assert_eq!(Command::parse("set x 5 6"), Err(ParseCommandError::Syntax));
        assert_eq!(Command::parse("x=<script>"), Err(ParseCommandError::BadWord));
        assert_eq!(Command::parse("x=aaaaaaaaaaaaaaaaaaaaaaaa"), Err(ParseCommandError::BadWord));
        assert_eq!(alloc::format!("{set}"), "x=5");
    }

    #[test]
    fn words_are_inline_and_ordered_as_text() {
        assert_eq!(Word::number(0).as_str(), "0");
        assert_eq!(Word::number(1234).as_str(), "1234");
        assert_eq!(Word::number(u64::MAX).len(), 16);
        assert!(Word::new("b").unwrap() > Word::new("aa").unwrap());
        assert!(Word::new("").is_err() && Word::new("a b").is_err() && Word::new("é").is_err());
        assert!(core::mem::size_of::<Command>() <= 40, "{}", core::mem::size_of::<Command>());
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
