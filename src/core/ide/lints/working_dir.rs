//! A service `working-dir` pointing at another framework's app directory.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;

/// Where each framework puts the application in the image.
fn app_dir(service: &str) -> &'static str {
    match service {
        "flask" => "/flask/app",
        "django" => "/django/app",
        _ => "/app",
    }
}

const APP_DIRS: [&str; 3] = ["/flask/app", "/django/app", "/app"];

/// Warns on `working-dir` values that name an app directory of a framework the project does
/// not use, with a fix to the declared framework's directory.
pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let declared = doc.declared_extensions();
    let [info] = declared.as_slice() else { return };
    let own = app_dir(info.service);
    for svc in doc.section("services") {
        let Some(wd) = doc.tree.entry(svc.value, "working-dir") else {
            continue;
        };
        let Some(value) = doc.tree.text(wd.value) else {
            continue;
        };
        let trimmed = value.trim_end_matches('/');
        let Some(other) = APP_DIRS
            .iter()
            .find(|d| **d != own && (trimmed == **d || trimmed.starts_with(&format!("{d}/"))))
        else {
            continue;
        };
        let fixed = format!("{own}{}", &trimmed[other.len()..]);
        out.push(
            Diagnostic::new(
                doc.value_range(wd),
                Code::WorkingDirOtherFramework,
                format!(
                    "`{value}` is where another framework puts its application; {} installs the project in `{own}`, so this directory does not exist in the image",
                    info.name
                ),
            )
            .with_fix(format!("Use `{fixed}`"), doc.value_range(wd), fixed.clone()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_expansion, flask_fs, flask_project};

    #[test]
    fn another_frameworks_app_directory() {
        check_expansion(
            &[Code::WorkingDirOtherFramework],
            &flask_fs(),
            &flask_project(
                r"
                services:
                  flask:
                    working-dir: /django/app
                               # ^^^^^^^^^^^ warning[working-dir-other-framework]: `/django/app` is where another framework puts its application
                ",
            ),
        );
    }

    #[test]
    fn the_frameworks_own_app_directory_is_fine() {
        check_expansion(
            &[Code::WorkingDirOtherFramework],
            &flask_fs(),
            &flask_project(
                r"
                services:
                  flask:
                    working-dir: /flask/app
                ",
            ),
        );
    }
}
