//! Python semantics that rockcraft's behaviour depends on, reproduced once: truthiness of loaded
//! values, `str()` of numbers and scalars (`repr` of floats), and `os.path.relpath` on the
//! relative POSIX paths of a project. YAML 1.1 scalar typing lives in `core::yaml::resolve`.

use serde_json::{Number, Value};

/// Python's truthiness of a loaded YAML/JSON value: `None`, `False`, `0`, `0.0`, `""`, `[]`
/// and `{}` are false.
#[must_use]
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Python's `str()` (the same as `repr()`) of a float: `1.1`, `2.0`, `1e+16`, `1.5e-05`,
/// `nan`, `inf`.
#[must_use]
pub fn float_str(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = f.abs();
    if a == 0.0 || (1e-4..1e16).contains(&a) {
        let s = format!("{f}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        // Rust gives `1e16` / `1.5e-5`; Python `1e+16` / `1.5e-05`.
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = exp.strip_prefix('-').map_or(("+", exp), |d| ("-", d));
        format!("{mantissa}e{sign}{digits:0>2}")
    }
}

/// Python's `str()` of a loaded YAML number: `1` → `1`, `1.10` → `1.1`, `1e16` → `1e+16`.
#[must_use]
pub fn number_str(n: &Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() => float_str(f),
        _ => n.to_string(),
    }
}

/// Python's `str()` of a loaded YAML scalar: `None`, `True`, `False`, numbers as
/// [`number_str`], strings as they are (a list or mapping is shown as JSON).
#[must_use]
pub fn scalar_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => number_str(n),
        other => other.to_string(),
    }
}

/// `os.path.relpath(path, start)` for two relative POSIX paths.
#[must_use]
pub fn relpath(path: &str, start: &str) -> String {
    let p = components(path);
    let s = components(start);
    let common = p.iter().zip(&s).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = std::iter::repeat_n("..", s.len() - common).collect();
    parts.extend(p[common..].iter().copied());
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The components of `os.path.normpath(path)` for a relative POSIX path (`.` and empty
/// components dropped, `..` folded into the component before it).
fn components(path: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn truthiness() {
        for v in [
            json!(null),
            json!(false),
            json!(0),
            json!(0.0),
            json!(""),
            json!([]),
            json!({}),
        ] {
            assert!(!truthy(&v), "{v}");
        }
        for v in [
            json!(true),
            json!(-1),
            json!(0.5),
            json!("0"),
            json!([0]),
            json!({"a": null}),
        ] {
            assert!(truthy(&v), "{v}");
        }
    }

    #[test]
    fn floats_and_numbers_as_python_prints_them() {
        assert_eq!(float_str(1.1), "1.1");
        assert_eq!(float_str(2.0), "2.0");
        assert_eq!(float_str(-0.0), "-0.0");
        assert_eq!(float_str(1e16), "1e+16");
        assert_eq!(float_str(1e15), "1000000000000000.0");
        assert_eq!(float_str(1.5e-5), "1.5e-05");
        assert_eq!(float_str(0.0001), "0.0001");
        assert_eq!(float_str(1.5e300), "1.5e+300");
        assert_eq!(float_str(f64::NAN), "nan");
        assert_eq!(float_str(f64::NEG_INFINITY), "-inf");
        assert_eq!(number_str(&Number::from(3)), "3");
        assert_eq!(number_str(&Number::from(-3)), "-3");
        assert_eq!(number_str(&Number::from_f64(1.10).unwrap()), "1.1");
    }

    #[test]
    fn scalars_as_python_prints_them() {
        assert_eq!(scalar_str(&json!(null)), "None");
        assert_eq!(scalar_str(&json!(true)), "True");
        assert_eq!(scalar_str(&json!(false)), "False");
        assert_eq!(scalar_str(&json!("bare")), "bare");
        assert_eq!(scalar_str(&json!(24.04)), "24.04");
        assert_eq!(scalar_str(&json!(1e16)), "1e+16");
    }

    #[test]
    fn relpath_like_python() {
        assert_eq!(relpath("flask/app/app.py", "flask/app"), "app.py");
        assert_eq!(relpath("flask/app", "flask/app"), ".");
        assert_eq!(relpath("flask/apple.py", "flask/app"), "../apple.py");
        assert_eq!(
            relpath("-flask/app/secret.txt", "flask/app"),
            "../../-flask/app/secret.txt"
        );
        assert_eq!(relpath("flask/app/*.py", "flask/app"), "*.py");
        assert_eq!(relpath("app/static/", "app"), "static");
        assert_eq!(relpath("app/./a/../b", "app"), "b");
        assert_eq!(relpath("../x", "app"), "../../x");
    }
}
