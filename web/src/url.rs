//! The initial setup from the page's query string (`?protocol=raft&size=5&seed=7&speed=0.025
//! &lang=zh&bug=…&loss=0&dup=0&paused=1`). Pure: a bad value never panics; it becomes a [`Problem`] that the
//! page shows (and the default is used instead).

use ballot_core::Lang;

use ballot_engine::registry;

/// Default cluster size.
pub const DEFAULT_SIZE: u8 = 5;
/// Default seed.
pub const DEFAULT_SEED: u64 = 1;
/// Default speed: virtual time runs at 1/40 of wall-clock time, so a 12 ms message takes half a
/// second to cross the ring.
pub const DEFAULT_SPEED: f64 = 0.025;
pub use ballot_engine::engine::{MAX_SIZE, MIN_SIZE};
pub use ballot_engine::session::{MAX_SPEED, MIN_SPEED};

/// What the page starts with.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    /// The protocol's registered name.
    pub protocol: &'static str,
    /// Number of nodes, `MIN_SIZE..=MAX_SIZE`.
    pub size: u8,
    /// The run's seed.
    pub seed: u64,
    /// Virtual milliseconds per wall-clock millisecond.
    pub speed: f64,
    /// Language forced by the URL (not saved as a preference).
    pub lang: Option<Lang>,
    /// The broken variant to run, by name, if any (its engine checks it: an unknown one becomes
    /// a [`Problem`] when the run starts).
    pub bug: Option<String>,
    /// Message loss in percent, `0..=100`.
    pub loss_pct: u16,
    /// Message duplication in percent, `0..=100`.
    pub dup_pct: u16,
    /// Start paused.
    pub paused: bool,
    /// The background client workload (`workload=0` turns it off).
    pub workload: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            protocol: registry::CATALOG[0].name,
            size: DEFAULT_SIZE,
            seed: DEFAULT_SEED,
            speed: DEFAULT_SPEED,
            lang: None,
            bug: None,
            loss_pct: 0,
            dup_pct: 0,
            paused: false,
            workload: true,
        }
    }
}

/// One query parameter that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The parameter's name (`size`, `seed`…).
    pub param: &'static str,
    /// The value given, as written (shortened).
    pub value: String,
    /// The value used instead, as text.
    pub used: String,
    /// The values that would have been accepted, when they depend on the run (the bug names of
    /// the chosen protocol); empty otherwise.
    pub known: Vec<String>,
}

/// Shortens a value to quote in a notice.
pub fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(24).collect();
    if s.chars().count() > 24 {
        out.push('…');
    }
    out
}

/// Decodes `%XX` escapes and `+` (best effort: a bad escape is kept as written).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Parses a query string (with or without the leading `?`).
pub fn parse(query: &str) -> (Setup, Vec<Problem>) {
    let mut setup = Setup::default();
    let mut problems = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(raw);
        let v = value.trim();
        let mut bad = |param: &'static str, used: String| {
            problems.push(Problem { param, value: shorten(&value), used, known: Vec::new() });
        };
        match key {
            "size" => match v.parse::<u8>() {
                Ok(n) if (MIN_SIZE..=MAX_SIZE).contains(&n) => setup.size = n,
                _ => bad("size", DEFAULT_SIZE.to_string()),
            },
            "seed" => match v.parse::<u64>() {
                Ok(n) => setup.seed = n,
                Err(_) => bad("seed", DEFAULT_SEED.to_string()),
            },
            "speed" => match crate::num::parse_decimal(v) {
                Some(x) if x.is_finite() && (MIN_SPEED..=MAX_SPEED).contains(&x) => setup.speed = x,
                _ => bad("speed", crate::num::fixed(DEFAULT_SPEED, 3)),
            },
            "lang" => match Lang::parse(v) {
                Some(l) => setup.lang = Some(l),
                None => bad("lang", String::from("-")),
            },
            "protocol" => match registry::info(v) {
                Some(p) => setup.protocol = p.name,
                None => bad("protocol", String::from("raft")),
            },
            // Checked by the protocol's engine when the run starts.
            "bug" => {
                let v = v.to_string();
                setup.bug = (v != "none" && !v.is_empty()).then_some(v);
            }
            "loss" | "dup" => {
                let param = if key == "loss" { "loss" } else { "dup" };
                match v.trim_end_matches('%').parse::<u16>() {
                    Ok(p) if p <= 100 => {
                        if param == "loss" {
                            setup.loss_pct = p;
                        } else {
                            setup.dup_pct = p;
                        }
                    }
                    _ => bad(param, String::from("0")),
                }
            }
            "workload" => match v {
                "1" | "true" | "yes" | "on" | "" => setup.workload = true,
                "0" | "false" | "no" | "off" => setup.workload = false,
                _ => bad("workload", String::from("1")),
            },
            "paused" => match v {
                "1" | "true" | "yes" | "" => setup.paused = true,
                "0" | "false" | "no" => setup.paused = false,
                _ => bad("paused", String::from("0")),
            },
            _ => {}
        }
    }
    (setup, problems)
}

/// The page's query string (empty if unavailable).
pub fn current_query() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// The page's URL fragment without `#` (empty if none).
pub fn current_hash() -> String {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    hash.trim_start_matches('#').to_string()
}

/// Puts `fragment` after `#` in the address (no reload).
pub fn set_hash(fragment: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(fragment);
    }
}

/// `text` as a `data:` URL of type `mime`, for a download link (no server, no Blob handle to
/// revoke).
pub fn data_url(mime: &str, text: &str) -> String {
    let mut out = format!("data:{mime};charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~=:;,/()'!*".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

/// The page's address without its fragment.
pub fn page_base() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_urls_escape_what_a_url_cannot_hold() {
        assert_eq!(
            data_url("text/plain", "a b#%\n✕"),
            "data:text/plain;charset=utf-8,a%20b%23%25%0A%E2%9C%95"
        );
        assert!(data_url("image/svg+xml", "<svg a=\"1\"/>").ends_with(",%3Csvg%20a=%221%22/%3E"));
    }

    #[test]
    fn good_parameters_are_used() {
        let (s, p) =
            parse("?size=7&seed=42&speed=0.5&lang=zh&bug=commit-previous-term&loss=10&dup=5&paused=1");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(s.size, 7);
        assert_eq!(s.seed, 42);
        assert_eq!(s.speed, 0.5);
        assert_eq!(s.lang, Some(Lang::Zh));
        assert_eq!(s.bug.as_deref(), Some("commit-previous-term"));
        assert_eq!((s.loss_pct, s.dup_pct, s.paused), (10, 5, true));
    }

    #[test]
    fn bad_parameters_become_problems_and_defaults() {
        let (s, p) = parse("size=42&seed=abc&speed=-1&bug=nope&loss=200&lang=fr&selftest=x");
        assert_eq!(Setup { bug: None, ..s.clone() }, Setup::default());
        let names: Vec<&str> = p.iter().map(|p| p.param).collect();
        assert_eq!(names, ["size", "seed", "speed", "loss", "lang"]);
        assert_eq!(s.bug.as_deref(), Some("nope"), "the engine checks bugs");
        assert_eq!(p[0].value, "42");
        assert_eq!(p[0].used, "5");
        let (s, p) = parse("speed=NaN&speed=inf&size=%33");
        assert_eq!(p.len(), 2);
        assert_eq!(s.size, 3);
    }

    #[test]
    fn protocols_come_from_the_registry() {
        let (s, p) = parse("bug=commit-on-timeout&protocol=twopc");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!((s.protocol, s.bug.as_deref()), ("twopc", Some("commit-on-timeout")));
        let (s, p) = parse("protocol=nope");
        assert_eq!(s.protocol, "raft");
        assert_eq!((p[0].param, p[0].used.as_str()), ("protocol", "raft"));
        let (s, _) = parse("bug=none");
        assert_eq!(s.bug, None);
    }

    #[test]
    fn decoding_is_lenient() {
        assert_eq!(decode("a%20b+c"), "a b c");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
    }
}
