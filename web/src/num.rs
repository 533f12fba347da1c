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

/// The speed slider moves in tenths of a decade: step `k` is speed 10^(k/10).
const DECILES: [f64; 10] = [
    1.0,
    1.258_925_411_794_167_3,
    1.584_893_192_461_113_6,
    1.995_262_314_968_879_5,
    2.511_886_431_509_58,
    3.162_277_660_168_379_5,
    3.981_071_705_534_972,
    5.011_872_336_272_722,
    6.309_573_444_801_933,
    7.943_282_347_242_816,
];

/// 10^(step/10), without `powf` (whose code the bundle would otherwise carry).
pub fn speed_of_step(step: i32) -> f64 {
    let (decade, decile) = (step.div_euclid(10), step.rem_euclid(10));
    DECILES[decile as usize] * 10f64.powi(decade)
}

/// The slider step nearest to `speed` (on the log scale), between `lo` and `hi`.
pub fn step_of_speed(speed: f64, lo: i32, hi: i32) -> i32 {
    // Half a step on the log scale is a factor of 10^(1/20).
    const HALF_STEP: f64 = 1.122_018_454_301_963_3;
    let mut step = lo;
    while step < hi && speed_of_step(step + 1) <= speed * HALF_STEP {
        step += 1;
    }
    step
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

    #[test]
    fn speed_steps_are_tenths_of_a_decade() {
        for k in -20..=10 {
            let expected = 10f64.powf(f64::from(k) / 10.0);
            assert!((speed_of_step(k) / expected - 1.0).abs() < 1e-12, "{k}");
            assert_eq!(step_of_speed(speed_of_step(k), -20, 10), k);
        }
        assert_eq!(step_of_speed(0.025, -20, 10), -16);
        assert_eq!(step_of_speed(1e9, -20, 10), 10);
        assert_eq!(step_of_speed(0.0, -20, 10), -20);
    }
}
