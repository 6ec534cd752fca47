//! The 12-factor framework extensions (flask, django, fastapi, go, expressjs, spring-boot):
//! each one's project checks and generated root snippet (`run_user`/`run-user`, `services`,
//! `parts`), built from the project data and the project files.

pub mod common;
pub mod expressjs;
pub mod fastapi;
pub mod go;
pub mod gunicorn;
pub mod python;
pub mod requirements;
pub mod springboot;

use super::Extension;

/// The framework extension registered under `name`, if any. V1 and V2 generations behave the
/// same in the snippet, so one implementation serves both.
#[must_use]
pub fn get(name: &str) -> Option<Box<dyn Extension>> {
    Some(match name {
        "django-framework" => Box::new(gunicorn::Django),
        "expressjs-framework" => Box::new(expressjs::ExpressJs),
        "fastapi-framework" => Box::new(fastapi::FastApi),
        "flask-framework" => Box::new(gunicorn::Flask),
        "go-framework" => Box::new(go::Go),
        "spring-boot-framework" => Box::new(springboot::SpringBoot),
        _ => return None,
    })
}

/// A project mapping for the frameworks' tests.
#[cfg(test)]
pub(crate) fn test_project(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        other => panic!("a project is a mapping, not {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::registry::EXTENSIONS;

    #[test]
    fn every_registered_extension_is_implemented() {
        for info in EXTENSIONS {
            assert_eq!(get(info.name).map(|e| e.name()), Some(info.name));
        }
        assert!(get("nope-framework").is_none());
    }
}
