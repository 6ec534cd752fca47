//! spring-boot-framework (rockcraft's `springboot.py`): Maven/Gradle detection with wrapper
//! executability checks, the `spring-boot` service and the gradle-init-script, install-app,
//! jlink runtime and assets parts.

use serde_json::{Map, Value, json};

use super::super::{Anchor, Context, ExpandError, Extension};
use super::common::{AssetsRule, assets_part, is_bare, key, user_part, user_part_key};
use crate::core::facts::{SPRING_BOOT_DOC_SLUG, SPRING_BOOT_REQUIREMENTS_DOC_SLUG};
use crate::core::py::truthy;

const NAME: &str = "spring-boot-framework";
const INIT_SCRIPT: &str = "spring-boot-framework/gradle-init-script";

/// The spring-boot-framework extension.
pub struct SpringBoot;

fn check_error(msg: &str, fix: &str) -> ExpandError {
    ExpandError::project(Anchor::Extension(NAME.to_owned()), msg)
        .resolution(fix)
        .doc(SPRING_BOOT_REQUIREMENTS_DOC_SLUG)
}

/// `os.access(path, X_OK)` for an existing path.
fn executable(ctx: &Context<'_>, rel: &str) -> bool {
    ctx.fs.stat(rel).is_some_and(|e| e.is_dir || e.executable)
}

/// The user's gradle-init-script `override-build`, when truthy.
fn init_script_override(project: &Map<String, Value>) -> Option<&Value> {
    user_part_key(project, INIT_SCRIPT, "override-build").filter(|v| truthy(v))
}

fn check(project: &Map<String, Value>, ctx: &Context<'_>) -> Result<(), ExpandError> {
    let fs = ctx.fs;
    let (pom, gradle, mvnw, gradlew) = (
        fs.exists("pom.xml"),
        fs.exists("build.gradle"),
        fs.exists("mvnw"),
        fs.exists("gradlew"),
    );
    if pom && gradle {
        return Err(check_error(
            "spring-boot-framework found both `pom.xml` (Maven) and `build.gradle` (Gradle) in the project root, so it cannot tell which build to run.",
            "Keep the build system you use: remove `pom.xml` or `build.gradle`.",
        ));
    }
    if mvnw && gradlew {
        return Err(check_error(
            "spring-boot-framework found both the Maven wrapper `mvnw` and the Gradle wrapper `gradlew` in the project root, so it cannot tell which build to run.",
            "Remove the wrapper of the build system you do not use.",
        ));
    }
    if !pom && !gradle {
        let kts = if fs.exists("build.gradle.kts") {
            " (a Kotlin `build.gradle.kts` alone is not recognised)"
        } else {
            ""
        };
        return Err(check_error(
            &format!(
                "spring-boot-framework needs a Maven `pom.xml` or a Gradle `build.gradle` in the project root, and there is neither{kts}."
            ),
            "Add the project's `pom.xml` or `build.gradle` to the project root.",
        ));
    }
    if (mvnw && !executable(ctx, "mvnw")) || (gradlew && !executable(ctx, "gradlew")) {
        let (file, tool) = if mvnw {
            ("mvnw", "Maven")
        } else {
            ("gradlew", "Gradle")
        };
        return Err(ExpandError::project(
            Anchor::File(file.to_owned()),
            format!(
                "`{file}` is not executable, but spring-boot-framework runs this {tool} wrapper to build the app."
            ),
        )
        .resolution(format!(
            "Make it executable with `chmod +x {file}` (in git: `git update-index --chmod=+x {file}`)."
        ))
        .doc(SPRING_BOOT_REQUIREMENTS_DOC_SLUG));
    }
    if init_script_override(project).is_some() && !gradle {
        return Err(ExpandError::project(
            Anchor::Path(vec![key("parts"), key(INIT_SCRIPT), key("override-build")]),
            format!(
                "part `{INIT_SCRIPT}` sets `override-build`, but the project builds with Maven (`pom.xml`, no `build.gradle`): a Gradle init script only applies to Gradle builds."
            ),
        )
        .resolution(format!(
            "Remove the `{INIT_SCRIPT}` part (or its `override-build`), or build the project with Gradle."
        ))
        .doc(SPRING_BOOT_DOC_SLUG));
    }
    Ok(())
}

const GRADLE_BUILD_LINES: &[&str] = &[
    "craftctl default",
    "SPRING_FAT_JAR=$(find ${CRAFT_PART_BUILD}/build/libs -name '*.jar' ! -name '*-plain.jar' -type f -printf '%f\\n' | head -1)",
    "[ -n \"${SPRING_FAT_JAR}\" ] || (echo \"ERROR: could not find Spring Boot fat JAR in build/libs\" && exit 1)",
    "find ${CRAFT_PART_INSTALL}/jar -name \"*.jar\" ! -name \"${SPRING_FAT_JAR}\" -delete",
];

fn install_app(project: &Map<String, Value>, ctx: &Context<'_>) -> Value {
    let mut part = Map::new();
    part.insert("source".into(), ".".into());
    part.insert("organize".into(), json!({"**/*.jar": "app/"}));
    if ctx.fs.exists("build.gradle") {
        part.insert("plugin".into(), "gradle".into());
        part.insert("gradle-task".into(), "bootJar".into());
        let mut packages = vec!["default-jdk"];
        if !ctx.fs.exists("gradlew") {
            packages.push("gradle");
        }
        part.insert("build-packages".into(), json!(packages));
        let mut lines: Vec<&str> = Vec::new();
        if user_part(project, INIT_SCRIPT).is_some_and(|p| !p.is_empty()) {
            part.insert(
                "build-environment".into(),
                json!([{"GRADLE_USER_HOME": "${CRAFT_PART_BUILD}/.gradle/"}]),
            );
            part.insert("after".into(), json!([INIT_SCRIPT]));
            lines.extend([
                "mkdir -p ${CRAFT_PART_BUILD}/.gradle/",
                "cp ${CRAFT_STAGE}/*init.gradle* ${CRAFT_PART_BUILD}/.gradle/",
            ]);
        }
        lines.extend_from_slice(GRADLE_BUILD_LINES);
        part.insert("override-build".into(), lines.join("\n").into());
    } else {
        let mvnw = ctx.fs.exists("mvnw");
        part.insert("plugin".into(), "maven".into());
        let user_packages = user_part_key(
            project,
            "spring-boot-framework/install-app",
            "build-packages",
        )
        .filter(|v| truthy(v));
        let packages = match user_packages {
            Some(v) => v.clone(),
            None if mvnw => json!(["default-jdk"]),
            None => json!(["default-jdk", "maven"]),
        };
        part.insert("build-packages".into(), packages);
        part.insert(
            "override-build".into(),
            "craftctl default\nfind ${CRAFT_PART_INSTALL} -name '*-plain.jar' -type f -delete"
                .into(),
        );
        if mvnw {
            // A string, as rockcraft writes it.
            part.insert("maven-use-wrapper".into(), "True".into());
        }
    }
    if is_bare(project) {
        part.insert(
            "stage-packages".into(),
            json!([
                "libnss3_nss",
                "libc6_libs",
                "libgcc-s1_libs",
                "libstdc++6_libs",
                "zlib1g_libs"
            ]),
        );
    }
    Value::Object(part)
}

impl Extension for SpringBoot {
    fn name(&self) -> &'static str {
        NAME
    }

    fn root_snippet(
        &self,
        project: &Map<String, Value>,
        ctx: &Context<'_>,
    ) -> Result<Map<String, Value>, ExpandError> {
        check(project, ctx)?;

        let mut parts = Map::new();
        if let Some(script) = init_script_override(project) {
            parts.insert(
                INIT_SCRIPT.into(),
                json!({"plugin": "nil", "source": ".", "override-build": script, "prime": []}),
            );
        }
        parts.insert(format!("{NAME}/install-app"), install_app(project, ctx));
        let user_runtime_packages =
            user_part_key(project, "spring-boot-framework/runtime", "build-packages")
                .filter(|v| truthy(v))
                .cloned();
        let mut runtime = json!({
            "plugin": "jlink",
            "after": [format!("{NAME}/install-app")],
            "build-packages": user_runtime_packages.unwrap_or_else(|| json!(["default-jdk"])),
        });
        if is_bare(project) {
            runtime["stage-packages"] = json!([
                "bash_bins",
                "base-files_chisel",
                "base-files_tmp",
                "coreutils_bins"
            ]);
        }
        parts.insert(format!("{NAME}/runtime"), runtime);
        let rule = AssetsRule {
            part: "spring-boot-framework/assets",
            defaults: &["migrate", "migrate.sh"],
        };
        if let Some(assets) = assets_part(project, ctx, &rule)? {
            parts.insert(format!("{NAME}/assets"), assets);
        }

        let mut services = Map::new();
        services.insert(
            "spring-boot".into(),
            json!({
                "override": "replace",
                "startup": "enabled",
                "user": "_daemon_",
                "working-dir": "/app",
                "command": "bash -c \"java -jar *.jar\"",
            }),
        );
        let mut snippet = Map::new();
        snippet.insert("run-user".into(), "_daemon_".into());
        snippet.insert("services".into(), Value::Object(services));
        snippet.insert("parts".into(), Value::Object(parts));
        Ok(snippet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::MemoryFs;

    use crate::core::extensions::frameworks::test_project as project;

    fn ctx(fs: &MemoryFs) -> Context<'_> {
        Context {
            fs,
            experimental: true,
            extensions_dir: "/ext",
            cancel: crate::core::cancel::Cancel::NEVER,
        }
    }

    fn base() -> Map<String, Value> {
        project(json!({"name": "my-app", "base": "ubuntu@24.04"}))
    }

    #[test]
    fn checks_in_order() {
        let err = |fs: MemoryFs, p: &Map<String, Value>| {
            SpringBoot.root_snippet(p, &ctx(&fs)).unwrap_err()
        };
        let msg = |fs: MemoryFs, p: &Map<String, Value>| err(fs, p).message;
        assert_eq!(
            msg(
                MemoryFs::new().file("pom.xml", "").file("build.gradle", ""),
                &base()
            ),
            "spring-boot-framework found both `pom.xml` (Maven) and `build.gradle` (Gradle) in the project root, so it cannot tell which build to run."
        );
        assert_eq!(
            msg(
                MemoryFs::new()
                    .executable("mvnw", "")
                    .executable("gradlew", ""),
                &base()
            ),
            "spring-boot-framework found both the Maven wrapper `mvnw` and the Gradle wrapper `gradlew` in the project root, so it cannot tell which build to run."
        );
        assert_eq!(
            msg(MemoryFs::new().file("build.gradle.kts", ""), &base()),
            "spring-boot-framework needs a Maven `pom.xml` or a Gradle `build.gradle` in the project root, and there is neither (a Kotlin `build.gradle.kts` alone is not recognised)."
        );
        let e = err(
            MemoryFs::new().file("pom.xml", "").file("mvnw", ""),
            &base(),
        );
        assert_eq!(
            e.message,
            "`mvnw` is not executable, but spring-boot-framework runs this Maven wrapper to build the app."
        );
        assert_eq!(
            e.resolution.as_deref(),
            Some(
                "Make it executable with `chmod +x mvnw` (in git: `git update-index --chmod=+x mvnw`)."
            )
        );
        assert_eq!(e.anchor, Anchor::File("mvnw".into()));
        let p = project(
            json!({"name": "my-app", "base": "ubuntu@24.04", "parts": {INIT_SCRIPT: {"override-build": "x"}}}),
        );
        let e = err(MemoryFs::new().file("pom.xml", ""), &p);
        assert_eq!(
            e.message,
            "part `spring-boot-framework/gradle-init-script` sets `override-build`, but the project builds with Maven (`pom.xml`, no `build.gradle`): a Gradle init script only applies to Gradle builds."
        );
        assert_eq!(
            e.resolution.as_deref(),
            Some(
                "Remove the `spring-boot-framework/gradle-init-script` part (or its `override-build`), or build the project with Gradle."
            )
        );
    }

    #[test]
    fn maven_parts() {
        let fs = MemoryFs::new().file("pom.xml", "").executable("mvnw", "");
        let s = SpringBoot.root_snippet(&base(), &ctx(&fs)).unwrap();
        let part = s["parts"]["spring-boot-framework/install-app"]
            .as_object()
            .unwrap();
        assert_eq!(
            part.keys().collect::<Vec<_>>(),
            [
                "source",
                "organize",
                "plugin",
                "build-packages",
                "override-build",
                "maven-use-wrapper"
            ]
        );
        assert_eq!(part["maven-use-wrapper"], "True");
        assert_eq!(part["build-packages"], json!(["default-jdk"]));
        assert_eq!(
            s["services"]["spring-boot"]["command"],
            "bash -c \"java -jar *.jar\""
        );
        let p = project(
            json!({"name": "my-app", "base": "bare", "build-base": "ubuntu@24.04",
            "parts": {"spring-boot-framework/install-app": {"build-packages": ["openjdk-21-jdk"]}, "spring-boot-framework/runtime": {"build-packages": ["x"]}}}),
        );
        let fs = MemoryFs::new().file("pom.xml", "").file("migrate.sh", "");
        let s = SpringBoot.root_snippet(&p, &ctx(&fs)).unwrap();
        assert_eq!(
            s["parts"]["spring-boot-framework/install-app"]["build-packages"],
            json!(["openjdk-21-jdk"])
        );
        assert_eq!(
            s["parts"]["spring-boot-framework/runtime"]["build-packages"],
            json!(["x"])
        );
        assert_eq!(
            s["parts"]["spring-boot-framework/assets"]["stage"],
            json!(["app/migrate.sh"])
        );
        assert!(
            s["parts"]["spring-boot-framework/install-app"]
                .get("stage-packages")
                .is_some()
        );
    }

    #[test]
    fn gradle_with_init_script() {
        let fs = MemoryFs::new().file("build.gradle", "");
        let p = project(
            json!({"name": "my-app", "base": "ubuntu@24.04", "parts": {INIT_SCRIPT: {"override-build": "cp a b"}}}),
        );
        let s = SpringBoot.root_snippet(&p, &ctx(&fs)).unwrap();
        let parts = s["parts"].as_object().unwrap();
        assert_eq!(parts.keys().next().map(String::as_str), Some(INIT_SCRIPT));
        let install = &parts["spring-boot-framework/install-app"];
        assert_eq!(install["build-packages"], json!(["default-jdk", "gradle"]));
        assert_eq!(install["after"], json!([INIT_SCRIPT]));
        assert!(
            install["override-build"]
                .as_str()
                .unwrap()
                .starts_with("mkdir -p ${CRAFT_PART_BUILD}/.gradle/\ncp ")
        );
    }
}
