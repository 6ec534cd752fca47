//! Starter files equivalent to `rockcraft init --profile <profile>`: the same keys and values,
//! with comments written for this tool.

/// A profile `rockcraft init` knows, with the project name it suggests.
struct Profile {
    extension: &'static str,
    name: &'static str,
    framework: &'static str,
    /// How the description names the project.
    described_as: &'static str,
}

const PROFILES: &[Profile] = &[
    Profile {
        extension: "flask-framework",
        name: "my-flask-app",
        framework: "Flask",
        described_as: "my-flask-app",
    },
    Profile {
        extension: "django-framework",
        name: "my-django-app",
        framework: "Django",
        described_as: "my-django-app",
    },
    Profile {
        extension: "fastapi-framework",
        name: "my-fastapi-app",
        framework: "FastAPI",
        described_as: "fastapi project",
    },
    Profile {
        extension: "go-framework",
        name: "my-go-app",
        framework: "Go",
        described_as: "my-go-app",
    },
    Profile {
        extension: "expressjs-framework",
        name: "my-expressjs-app",
        framework: "ExpresssJS",
        described_as: "my-expressjs-app",
    },
    Profile {
        extension: "spring-boot-framework",
        name: "my-spring-app",
        framework: "Spring Boot",
        described_as: "my-spring-app",
    },
];

/// `(extension name, starter text)` for every profile, in rockcraft's order.
#[must_use]
pub fn starters() -> Vec<(&'static str, String)> {
    PROFILES.iter().map(|p| (p.extension, starter(p))).collect()
}

fn starter(p: &Profile) -> String {
    format!(
        "# rockcraft.yaml for a {fw} application, built with the {ext} extension.\n\
         # Expand it (\"show expanded project\") to see every part and service it generates.\n\
         name: {name}\n\
         # `bare` keeps the image minimal; use an Ubuntu base to get a shell and apt.\n\
         base: bare\n\
         build-base: ubuntu@24.04 # needed because the base is bare\n\
         version: \"0.1\" # a free-form label for people; quoted so it stays a string\n\
         summary: A summary of your {fw} application # one line, at most 79 characters\n\
         description: |\n\
         \x20 This is {desc}'s description. You have a paragraph or two to tell the\n\
         \x20 most important story about it. Keep it under 100 words though,\n\
         \x20 we live in tweetspace and your description wants to look good in the\n\
         \x20 container registries out there.\n\
         # The architectures to build for; add arm64 and others as needed.\n\
         platforms:\n\
         \x20 amd64:\n\
         extensions:\n\
         \x20 - {ext}\n",
        fw = p.framework,
        ext = p.extension,
        name = p.name,
        desc = p.described_as,
    )
}
