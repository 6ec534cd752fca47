//! What `rockcraft init` writes, from rockcraft's own templates (kept verbatim under
//! `core/data/init/`, see `PROVENANCE.md` there): the files of each profile, the project name
//! it derives from a directory, and the editor's "Start a <profile> project" actions, which
//! put the same text into a blank `rockcraft.yaml`.

use crate::core::diagnostic::Edit;
use crate::core::document::Document;
use crate::core::facts::{
    DOCS_URL, INIT_DEFAULT_NAME, INIT_TEST_PROFILE, PROJECT_FILE, PROJECT_NAME_MAX_CHARS,
    TITLE_MIN_CHARS,
};
use crate::core::ide::actions::{Action, ActionKind};
use crate::core::text::{TextRange, TextSize};

/// One file a profile writes, as rockcraft's template holds it.
#[derive(Debug)]
pub struct TemplateFile {
    /// Where the file goes, relative to the project directory (`/`-separated).
    pub path: &'static str,
    /// The template text, with `{{name}}`-style placeholders.
    pub text: &'static str,
    /// Whether rockcraft ships it executable (it copies the template's mode).
    pub executable: bool,
}

/// A profile's template files.
struct Profile {
    name: &'static str,
    files: &'static [TemplateFile],
}

/// The template of a profile that writes only `rockcraft.yaml`.
macro_rules! project_template {
    ($profile:literal) => {
        Profile {
            name: $profile,
            files: &[TemplateFile {
                path: PROJECT_FILE,
                text: include_str!(concat!("../data/init/", $profile, "/rockcraft.yaml.j2")),
                executable: false,
            }],
        }
    };
}

/// Every profile of [`INIT_PROFILES`], with its files in the order rockcraft lists them
/// (sorted by template path).
const PROFILES: &[Profile] = &[
    project_template!("django-framework"),
    project_template!("expressjs-framework"),
    project_template!("fastapi-framework"),
    project_template!("flask-framework"),
    project_template!("go-framework"),
    project_template!("simple"),
    project_template!("spring-boot-framework"),
    Profile {
        name: INIT_TEST_PROFILE,
        files: &[
            TemplateFile {
                path: "spread.yaml",
                text: include_str!("../data/init/test/spread.yaml.j2"),
                executable: false,
            },
            TemplateFile {
                path: "spread/.extension",
                text: include_str!("../data/init/test/spread/.extension.j2"),
                executable: true,
            },
            TemplateFile {
                path: "spread/general/test/task.yaml",
                text: include_str!("../data/init/test/spread/general/test/task.yaml.j2"),
                executable: false,
            },
        ],
    },
];

/// The profiles the editor offers as starters, most used first; the `test` profile writes no
/// project file and is left out.
pub const EDITOR_PROFILES: &[&str] = &[
    "flask-framework",
    "django-framework",
    "fastapi-framework",
    "go-framework",
    "expressjs-framework",
    "spring-boot-framework",
    "simple",
];

/// The template files of `profile`, or `None` for a profile rockcraft does not have.
#[must_use]
pub fn template_files(profile: &str) -> Option<&'static [TemplateFile]> {
    PROFILES.iter().find(|p| p.name == profile).map(|p| p.files)
}

/// A file with its placeholders filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: &'static str,
    pub text: String,
    pub executable: bool,
}

/// The files `rockcraft init --profile <profile> --name <name>` writes, byte for byte, or
/// `None` for an unknown profile. `name` is not checked here (see [`name_problem`]).
#[must_use]
pub fn render_profile(profile: &str, name: &str) -> Option<Vec<RenderedFile>> {
    let files = template_files(profile)?;
    Some(
        files
            .iter()
            .map(|f| RenderedFile {
                path: f.path,
                text: fill(f.text, name),
                executable: f.executable,
            })
            .collect(),
    )
}

/// The `rockcraft.yaml` a profile writes for `name`, or `None` when the profile is unknown or
/// writes none.
#[must_use]
pub fn project_file(profile: &str, name: &str) -> Option<String> {
    render_profile(profile, name)?
        .into_iter()
        .find(|f| f.path == PROJECT_FILE)
        .map(|f| f.text)
}

/// The templates' placeholders filled as rockcraft's init service fills them: `name`,
/// `snake_name` (hyphens as underscores, lowercased) and `versioned_url` (the documentation
/// root). The templates use nothing else of Jinja: `{{ x }}` with or without spaces, never a
/// block or comment (a test holds them to that), so a placeholder it does not know stays as
/// written.
fn fill(template: &str, name: &str) -> String {
    let snake = name.replace('-', "_").to_lowercase();
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            rest = &rest[open..];
            break;
        };
        let value = match after[..close].trim() {
            "name" => Some(name),
            "snake_name" => Some(snake.as_str()),
            "versioned_url" => Some(DOCS_URL),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(v),
            None => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Why a name cannot be used for a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameProblem {
    /// It breaks the name pattern (`rockcraft init --name` refuses it too); what is wrong, in
    /// words.
    Pattern(String),
    /// Longer than [`PROJECT_NAME_MAX_CHARS`]: `rockcraft init` writes it, `pack` refuses it.
    TooLong(usize),
    /// Shorter than [`TITLE_MIN_CHARS`]: `rockcraft init` writes it, `pack` refuses it (the
    /// title defaults to the name).
    TooShort,
}

/// What keeps `name` from naming a project `rockcraft pack` accepts, or `None` when it can.
/// Stricter than `rockcraft init`, which checks only the pattern (and lets a trailing line
/// break through, as Python's `$` matches before one).
#[must_use]
pub fn name_problem(name: &str) -> Option<NameProblem> {
    if name.is_empty() {
        return Some(NameProblem::Pattern("the name is empty".into()));
    }
    if let Some(p) = crate::core::rules::name::problem(name) {
        return Some(NameProblem::Pattern(p));
    }
    let chars = name.chars().count();
    if chars > PROJECT_NAME_MAX_CHARS {
        return Some(NameProblem::TooLong(chars));
    }
    if chars < TITLE_MIN_CHARS {
        return Some(NameProblem::TooShort);
    }
    None
}

/// The project name for a project in a directory called `dir_name` (the last component of
/// the resolved path): the directory's name when it is a valid name, else
/// [`INIT_DEFAULT_NAME`], as `rockcraft init` does without `--name`. A name `rockcraft init`
/// would take but `pack` refuses (too long, one character) also gets the default here.
#[must_use]
pub fn name_for_directory(dir_name: Option<&str>) -> &str {
    match dir_name {
        Some(n) if name_problem(n).is_none() => n,
        _ => INIT_DEFAULT_NAME,
    }
}

/// `a` or `an`, as the word is read aloud (the profiles start with a vowel only when the
/// vowel sounds as one: `an expressjs-framework`).
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Only whitespace and comments.
#[must_use]
pub fn is_blank(doc: &Document) -> bool {
    crate::core::text::lines_with_starts(&doc.text)
        .all(|(_, l)| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

/// "Start a <profile> project" for each of [`EDITOR_PROFILES`], when the document holds only
/// whitespace and comments: the text `rockcraft init --profile <profile>` writes in a
/// directory called `dir_name` (see [`name_for_directory`]). The user's comments stay where
/// they are, the template follows after a blank line; a document of whitespace only is
/// replaced. Line breaks follow the document's (`\r\n` when it has one).
#[must_use]
pub fn starter_actions(doc: &Document, dir_name: Option<&str>) -> Vec<Action> {
    if !is_blank(doc) {
        return Vec::new();
    }
    let name = name_for_directory(dir_name);
    let text: &str = &doc.text;
    let crlf = text.contains("\r\n");
    // The end of the last line that holds a comment (its own trailing spaces kept).
    let kept = text
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_whitespace())
        .map(|(i, c)| {
            let after = i + c.len_utf8();
            after
                + text[after..]
                    .find(['\r', '\n'])
                    .unwrap_or(text.len() - after)
        });
    let offset = |n: usize| TextSize::from(u32::try_from(n).unwrap_or(u32::MAX));
    let replaced = TextRange::new(offset(kept.unwrap_or(0)), offset(text.len()));
    EDITOR_PROFILES
        .iter()
        .filter_map(|&profile| {
            let mut new = project_file(profile, name)?;
            if kept.is_some() {
                new.insert_str(0, "\n\n");
            }
            if crlf {
                new = new.replace('\n', "\r\n");
            }
            Some(Action {
                title: format!("Start {} {profile} project", article(profile)),
                kind: ActionKind::Refactor,
                edits: vec![Edit {
                    range: replaced,
                    text: new,
                }],
                diagnostic: None,
                is_preferred: false,
                snippet: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::facts::INIT_PROFILES;
    use crate::core::ide::edit::apply_edits;

    #[test]
    fn every_profile_has_templates() {
        let names: Vec<&str> = PROFILES.iter().map(|p| p.name).collect();
        assert_eq!(names, INIT_PROFILES);
        for p in EDITOR_PROFILES {
            assert!(project_file(p, "x1").is_some(), "{p}");
        }
        assert!(project_file(INIT_TEST_PROFILE, "x1").is_none());
        assert!(render_profile("nope", "x1").is_none());
    }

    /// The templates use no Jinja beyond the three placeholders: rendering leaves no `{{`, no
    /// block and no comment behind.
    #[test]
    fn templates_use_only_known_placeholders() {
        for p in PROFILES {
            for f in p.files {
                let out = fill(f.text, "my-app");
                assert!(!out.contains("{{"), "{}/{}", p.name, f.path);
                assert!(
                    !f.text.contains("{%") && !f.text.contains("{#"),
                    "{}",
                    f.path
                );
            }
        }
    }

    #[test]
    fn fill_placeholders() {
        assert_eq!(
            fill("{{name}} {{ snake_name }} {{versioned_url}}/x", "my-app-2"),
            format!("my-app-2 my_app_2 {DOCS_URL}/x")
        );
        assert_eq!(fill("a {{other}} b {{ name", "n"), "a {{other}} b {{ name");
        assert_eq!(fill("${X:-${y}}}", "n"), "${X:-${y}}}");
    }

    #[test]
    fn names_rockcraft_init_takes_from_a_directory() {
        for (dir, want) in [
            ("my-shop", "my-shop"),
            ("1a", "1a"),
            ("my-shop-2", "my-shop-2"),
            ("my_shop", INIT_DEFAULT_NAME),
            ("My-Shop", INIT_DEFAULT_NAME),
            ("my.shop", INIT_DEFAULT_NAME),
            ("my shop", INIT_DEFAULT_NAME),
            ("café", INIT_DEFAULT_NAME),
            ("123", INIT_DEFAULT_NAME),
            ("-shop", INIT_DEFAULT_NAME),
            ("shop-", INIT_DEFAULT_NAME),
            ("my--shop", INIT_DEFAULT_NAME),
            ("", INIT_DEFAULT_NAME),
            ("shop\n", INIT_DEFAULT_NAME),
        ] {
            assert_eq!(name_for_directory(Some(dir)), want, "{dir:?}");
        }
        assert_eq!(name_for_directory(None), INIT_DEFAULT_NAME);
        let forty = "a".repeat(PROJECT_NAME_MAX_CHARS);
        assert_eq!(name_for_directory(Some(&forty)), forty);
        // rockcraft init writes these, and pack then refuses the project: the default instead.
        assert_eq!(name_for_directory(Some(&"a".repeat(41))), INIT_DEFAULT_NAME);
        assert_eq!(name_for_directory(Some("a")), INIT_DEFAULT_NAME);
        // Linear: rockcraft's pattern backtracks for seconds on a long run of digits.
        let digits = "1".repeat(100_000);
        assert_eq!(name_for_directory(Some(&digits)), INIT_DEFAULT_NAME);
    }

    #[test]
    fn name_problems() {
        assert_eq!(name_problem("my-rock"), None);
        assert!(matches!(name_problem(""), Some(NameProblem::Pattern(_))));
        assert!(
            matches!(name_problem("My_Rock"), Some(NameProblem::Pattern(p)) if p.contains("uppercase"))
        );
        assert_eq!(name_problem("a"), Some(NameProblem::TooShort));
        assert_eq!(
            name_problem(&"b".repeat(41)),
            Some(NameProblem::TooLong(41))
        );
    }

    fn applied(text: &str, dir: Option<&str>, title: &str) -> String {
        let doc = Document::parse(text);
        let actions = starter_actions(&doc, dir);
        let a = actions
            .iter()
            .find(|a| a.title == title)
            .unwrap_or_else(|| panic!("{title}: {actions:?}"));
        apply_edits(text, &a.edits)
    }

    #[test]
    fn starter_titles() {
        let titles: Vec<String> = starter_actions(&Document::parse(""), None)
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert_eq!(
            titles,
            [
                "Start a flask-framework project",
                "Start a django-framework project",
                "Start a fastapi-framework project",
                "Start a go-framework project",
                "Start an expressjs-framework project",
                "Start a spring-boot-framework project",
                "Start a simple project",
            ]
        );
        assert!(starter_actions(&Document::parse("name: x\n"), None).is_empty());
    }

    #[test]
    fn starter_keeps_comments_and_line_breaks() {
        let want = project_file("go-framework", "my-shop").unwrap();
        assert_eq!(
            applied(" \n\n", Some("my-shop"), "Start a go-framework project"),
            want
        );
        assert_eq!(
            applied(
                "# my notes  \n# more\n\n  \n",
                Some("my-shop"),
                "Start a go-framework project"
            ),
            format!("# my notes  \n# more\n\n{want}")
        );
        assert_eq!(
            applied(
                "# crlf\r\n",
                Some("my-shop"),
                "Start a go-framework project"
            ),
            format!("# crlf\r\n\r\n{}", want.replace('\n', "\r\n"))
        );
        assert_eq!(
            applied("# no break", None, "Start a simple project"),
            format!(
                "# no break\n\n{}",
                project_file("simple", INIT_DEFAULT_NAME).unwrap()
            )
        );
    }
}
