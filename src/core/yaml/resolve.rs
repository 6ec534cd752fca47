//! YAML 1.1 scalar typing as `PyYAML`'s safe loader applies it (rockcraft reads files with `PyYAML`).
//!
//! `version: 0.1` is a float, `yes`/`on`/`off` are booleans, `1_000` and `0x1f` are integers,
//! `0755` is octal, `1:30` is sexagesimal (90), `2024-01-01` is a date.

use crate::core::prepared::{Aligned, prepared};
use std::sync::LazyLock;

use regex_automata::dfa::Automaton;
use regex_automata::dfa::dense::DFA;
use regex_automata::{Anchored, Input};

use super::patterns;

/// The value of a scalar.
#[derive(Clone, Debug, PartialEq)]
pub enum ScalarValue {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer too large for `i64` (its digits are read from the text when needed, see
    /// [`big_int_digits`]).
    BigInt,
    Float(f64),
    /// A date or date-time (`PyYAML` builds a `datetime` object).
    Timestamp,
    Str,
}

impl ScalarValue {
    /// The type name as a user would say it.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Int(_) | Self::BigInt => "integer",
            Self::Float(_) => "number",
            Self::Timestamp => "date",
            Self::Str => "string",
        }
    }
}

// The DFAs `build.rs` wrote for the YAML 1.1 scalar patterns.
static INT_DFA: &Aligned<[u8]> = prepared!("yaml-int.dfa");
static FLOAT_DFA: &Aligned<[u8]> = prepared!("yaml-float.dfa");
static TIMESTAMP_DFA: &Aligned<[u8]> = prepared!("yaml-timestamp.dfa");

/// A whole-text match against one of [`patterns`]: the DFA prepared at build time, read in
/// place (no regex is compiled when a run starts); the pattern compiled now should those
/// bytes not load.
enum FullMatch {
    Prepared(Box<DFA<&'static [u32]>>),
    Compiled(Option<regex_automata::meta::Regex>),
}

impl FullMatch {
    fn load(dfa: &'static Aligned<[u8]>, pattern: &str) -> Self {
        match DFA::from_bytes(&dfa.bytes) {
            Ok((dfa, _)) => Self::Prepared(Box::new(dfa)),
            Err(_) => Self::Compiled(regex_automata::meta::Regex::new(pattern).ok()),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Self::Prepared(dfa) => dfa
                .try_search_fwd(&Input::new(text).anchored(Anchored::Yes))
                .is_ok_and(|m| m.is_some()),
            Self::Compiled(re) => re.as_ref().is_some_and(|re| re.is_match(text)),
        }
    }
}

static INT: LazyLock<FullMatch> = LazyLock::new(|| FullMatch::load(INT_DFA, patterns::INT));
static FLOAT: LazyLock<FullMatch> = LazyLock::new(|| FullMatch::load(FLOAT_DFA, patterns::FLOAT));
static TIMESTAMP: LazyLock<FullMatch> =
    LazyLock::new(|| FullMatch::load(TIMESTAMP_DFA, patterns::TIMESTAMP));

/// Types a plain (unquoted) scalar the way `PyYAML`'s `SafeLoader` does.
#[must_use]
pub fn resolve_plain(text: &str) -> ScalarValue {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarValue::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return ScalarValue::Bool(true);
        }
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return ScalarValue::Bool(false);
        }
        _ => {}
    }
    let first = text.as_bytes()[0];
    if matches!(first, b'-' | b'+' | b'0'..=b'9' | b'.') {
        if INT.is_match(text) {
            return int_value(text);
        }
        if FLOAT.is_match(text) {
            return ScalarValue::Float(float_value(text));
        }
        if first.is_ascii_digit() && TIMESTAMP.is_match(text) {
            return ScalarValue::Timestamp;
        }
    }
    ScalarValue::Str
}

/// Whether a plain scalar `text` reads back as a string: no implicit resolver (null, bool,
/// int, float, timestamp, merge `<<`, value `=`, or the `!`/`&`/`*` yaml tag) claims it. The
/// emitter quotes every string for which this is false.
#[must_use]
pub fn resolves_to_str(text: &str) -> bool {
    resolve_plain(text) == ScalarValue::Str && !matches!(text, "<<" | "=" | "!" | "&" | "*")
}

/// Reads an integer matched by [`INT`] the way `PyYAML`'s `construct_yaml_int` does.
fn int_value(text: &str) -> ScalarValue {
    match read_int(text) {
        (Some(v), _) => i64::try_from(v).map_or(ScalarValue::BigInt, ScalarValue::Int),
        (None, _) => ScalarValue::BigInt,
    }
}

/// The digits of a [`ScalarValue::BigInt`] written as `text`: in decimal when the value fits
/// `i128`, else the text without its underscores.
#[must_use]
pub fn big_int_digits(text: &str) -> String {
    match read_int(text) {
        (Some(v), _) => v.to_string(),
        (None, cleaned) => cleaned,
    }
}

/// The value of an integer matched by [`INT`] when it fits `i128`, and its text without
/// underscores.
fn read_int(text: &str) -> (Option<i128>, String) {
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    let (neg, digits) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    let parsed: Option<i128> = if digits == "0" {
        Some(0)
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i128::from_str_radix(bin, 2).ok()
    } else if let Some(hex) = digits.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()
    } else if digits.starts_with('0') {
        i128::from_str_radix(digits, 8).ok()
    } else if digits.contains(':') {
        let mut total: i128 = 0;
        for part in digits.split(':') {
            total = total
                .saturating_mul(60)
                .saturating_add(part.parse::<i128>().unwrap_or(0));
        }
        Some(total)
    } else {
        digits.parse::<i128>().ok()
    };
    (parsed.map(|v| if neg { -v } else { v }), cleaned)
}

/// Reads a float matched by [`FLOAT`] the way `PyYAML`'s `construct_yaml_float` does.
fn float_value(text: &str) -> f64 {
    let cleaned: String = text
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let (sign, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (-1.0, &cleaned[1..]),
        Some(b'+') => (1.0, &cleaned[1..]),
        _ => (1.0, cleaned.as_str()),
    };
    if body == ".inf" {
        return sign * f64::INFINITY;
    }
    if body == ".nan" {
        return f64::NAN;
    }
    if body.contains(':') {
        let mut total = 0.0;
        for part in body.split(':') {
            total = total * 60.0 + part.parse::<f64>().unwrap_or(0.0);
        }
        return sign * total;
    }
    // Python's float() accepts "1." and "1.e+5"; make them explicit for Rust.
    let normalised = body.replace(".e", ".0e");
    let normalised = if normalised.ends_with('.') {
        format!("{normalised}0")
    } else {
        normalised
    };
    let normalised = if normalised.starts_with('.') {
        format!("0{normalised}")
    } else {
        normalised
    };
    sign * normalised.parse::<f64>().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The DFAs prepared at build time load, and accept exactly what the patterns accept
    /// (checked against the `regex` crate on every string of up to three characters from an
    /// alphabet of the patterns' own, and on longer numbers and dates and their near misses).
    #[test]
    fn prepared_patterns_match_as_the_regexes_do() {
        let alphabet: Vec<char> = "0179_+-.:xbeEaIinNfTZ \t".chars().collect();
        let mut texts: Vec<String> = vec![String::new()];
        let mut level = texts.clone();
        for _ in 0..3 {
            level = level
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(level.iter().cloned());
        }
        texts.extend(
            [
                "1_000",
                "0b101",
                "0o17",
                "0x1F",
                "0755",
                "190:20:30",
                "-1:30",
                "1.5e+10",
                "6.8523015e+5",
                "685.230_15e+03",
                "190:20:30.15",
                "-.inf",
                ".NaN",
                "1.",
                "2001-12-14t21:59:43.10-05:00",
                "2001-12-14 21:59:43.10 -5",
                "2002-12-14",
                "2001-12-15T02:59:43.1Z",
                "2001-1-1 1:00:00",
                "12:00",
                "1e5",
                "+0",
                "00",
                "1:30",
                "-1.5",
                "+.5",
                "0x_1",
                "0b_1",
                "1_0.0",
                "._5",
                "-.Inf",
                "+1:0",
            ]
            .map(str::to_owned),
        );
        // Near misses of the long ones: cut short, or with a character more on either side.
        let long: Vec<String> = texts.iter().filter(|t| t.len() > 4).cloned().collect();
        for t in long {
            texts.extend((1..t.len()).map(|i| t[..i].to_owned()));
            for c in &alphabet {
                texts.push(format!("{t}{c}"));
                texts.push(format!("{c}{t}"));
            }
        }
        for (prepared, pattern) in [
            (&*INT, patterns::INT),
            (&*FLOAT, patterns::FLOAT),
            (&*TIMESTAMP, patterns::TIMESTAMP),
        ] {
            assert!(matches!(prepared, FullMatch::Prepared(_)), "{pattern}");
            let re = regex::Regex::new(pattern).unwrap();
            let mut matched = 0;
            for t in &texts {
                assert_eq!(prepared.is_match(t), re.is_match(t), "{pattern} on {t:?}");
                matched += usize::from(re.is_match(t));
            }
            assert!(matched > 3, "{pattern} matched {matched}");
        }
    }

    #[test]
    fn yaml_1_1_typing_matches_pyyaml() {
        use ScalarValue::*;
        let cases: &[(&str, ScalarValue)] = &[
            ("", Null),
            ("~", Null),
            ("null", Null),
            ("yes", Bool(true)),
            ("On", Bool(true)),
            ("OFF", Bool(false)),
            ("n", Str),
            ("y", Str),
            ("0.1", Float(0.1)),
            ("1.10", Float(1.1)),
            ("1.", Float(1.0)),
            ("-.5", Str), // PyYAML's float pattern needs a digit before "." when signed
            (".5", Float(0.5)),
            ("._5", Str), // PyYAML 6 wants a digit right after a leading "."
            ("._", Str),
            ("1e5", Str),
            ("1.0e+5", Float(100_000.0)),
            ("1_000", Int(1000)),
            ("0755", Int(493)),
            ("09", Str),
            ("0x1f", Int(31)),
            ("0b101", Int(5)),
            ("1:30", Int(90)),
            ("-42", Int(-42)),
            ("2024-01-31", Timestamp),
            ("ubuntu@24.04", Str),
            ("24.04", Float(24.04)),
            ("1.2.3", Str),
            ("_daemon_", Str),
        ];
        for (text, want) in cases {
            assert_eq!(&resolve_plain(text), want, "{text:?}");
        }
        assert!(matches!(resolve_plain(".inf"), Float(f) if f.is_infinite()));
        assert!(matches!(resolve_plain(".NaN"), Float(f) if f.is_nan()));
        assert!(matches!(resolve_plain("99999999999999999999999"), BigInt));
    }

    #[test]
    fn strings_that_read_back_as_strings() {
        for s in [
            "hello",
            "ubuntu@24.04",
            "1.2.3",
            "-.5",
            "._",
            "<<<",
            "!!",
            "y",
        ] {
            assert!(resolves_to_str(s), "{s:?}");
        }
        for s in [
            "",
            "~",
            "NO",
            "0.1",
            "1_0",
            "07",
            "2001-12-14",
            "<<",
            "=",
            "&",
            "*",
            "!",
        ] {
            assert!(!resolves_to_str(s), "{s:?}");
        }
    }
}
