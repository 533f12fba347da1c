//! Decimal numbers without `core`'s float formatting and parsing machinery, which would add
//! about 20 KB to the gzipped bundle for the handful of numbers the page prints and reads.

/// `v` with exactly `decimals` digits after the point (at most 6), rounded half away from zero.
pub fn fixed(v: f64, decimals: u32) -> String {
    if !v.is_finite() {
        return String::from("0");
    }
    let decimals = decimals.min(6);
    let scale = 10i64.pow(decimals);
    let scaled = (v * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.unsigned_abs();
    let (whole, frac) = (abs / scale as u64, abs % scale as u64);
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac:0width$}", width = decimals as usize)
    }
}

/// Parses `12`, `-1.25`, `.5` or `0.025` (no exponent); `None` for anything else.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if (whole.is_empty() && frac.is_empty()) || whole.len() > 15 || frac.len() > 15 {
        return None;
    }
    if !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let w: u64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let f: u64 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    let v = w as f64 + f as f64 / 10f64.powi(frac.len() as i32);
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rounds_and_pads() {
        assert_eq!(fixed(1.25, 1), "1.3");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-1.55, 1), "-1.6");
        assert_eq!(fixed(2.0, 2), "2.00");
        assert_eq!(fixed(39.6, 0), "40");
        assert_eq!(fixed(f64::NAN, 2), "0");
        assert_eq!(fixed(0.05, 2), "0.05");
    }

    #[test]
    fn parse_decimal_accepts_plain_decimals_only() {
        assert_eq!(parse_decimal("0.025"), Some(0.025));
        assert_eq!(parse_decimal("-1.6"), Some(-1.6));
        assert_eq!(parse_decimal(".5"), Some(0.5));
        assert_eq!(parse_decimal("10"), Some(10.0));
        for bad in ["", "-", ".", "1e3", "abc", "1.2.3", "NaN", "inf", "١"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }
}
