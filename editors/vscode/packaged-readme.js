#!/usr/bin/env node
// Writes the README that goes into the VSIX. An installed extension's details page opens only
// http(s) links, so every relative link to a repository file becomes an absolute URL in the
// repository; images stay relative, since the VSIX ships them (and each must exist).
//
//   node packaged-readme.js README.md OUT.md REPOSITORY_URL REF
//
// REPOSITORY_URL: e.g. https://github.com/OWNER/rockcraft-lsp; links then point to
// REPOSITORY_URL/blob/REF/<path>. Empty: the repository is not known, so a link to the main
// README points to the crate's page (which shows that README) and any other relative link is an
// error.
'use strict';
const fs = require('fs');
const path = require('path');

const CRATE_PAGE = 'https://crates.io/crates/rockcraft-lsp';
// The extension's folder inside the repository, for resolving its relative links.
const EXTENSION_DIR = 'editors/vscode/';

/** Whether a link target is relative (no scheme, not an in-page anchor). */
function isRelative(target) {
  return !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');
}

/**
 * Rewrites the Markdown `text`. `exists(p)` says whether a path relative to the extension
 * folder is a file. Returns { text, errors }.
 */
function rewrite(text, repository, ref, exists) {
  const errors = [];
  const base = repository === '' ? undefined : `${repository.replace(/\/+$/, '')}/blob/${ref}/`;
  const out = text.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (all, bang, label, target) => {
    if (!isRelative(target)) {
      return all;
    }
    const [file, anchor] = target.split('#', 2);
    if (bang === '!') {
      if (!exists(file)) {
        errors.push(`image ${target} is not a file of the extension`);
      }
      return all;
    }
    const inRepo = path.posix.normalize(EXTENSION_DIR + file);
    if (inRepo.startsWith('../')) {
      errors.push(`link ${target} leaves the repository`);
      return all;
    }
    const hash = anchor === undefined ? '' : `#${anchor}`;
    if (base !== undefined) {
      return `${bang}[${label}](${base}${inRepo}${hash})`;
    }
    if (inRepo === 'README.md') {
      return `${bang}[${label}](${CRATE_PAGE}${hash})`;
    }
    errors.push(`link ${target}: no repository URL to point it to (set \`repository\` in Cargo.toml)`);
    return all;
  });
  return { text: out, errors };
}

function main() {
  const [input, output, repository = '', ref = 'HEAD'] = process.argv.slice(2);
  if (input === undefined || output === undefined) {
    console.error('usage: node packaged-readme.js README.md OUT.md [REPOSITORY_URL [REF]]');
    process.exit(2);
  }
  const dir = path.dirname(path.resolve(input));
  const exists = (p) => {
    try {
      return fs.statSync(path.join(dir, p)).isFile();
    } catch {
      return false;
    }
  };
  const { text, errors } = rewrite(fs.readFileSync(input, 'utf8'), repository, ref, exists);
  if (errors.length > 0) {
    for (const e of errors) {
      console.error(`packaged-readme: ${input}: ${e}`);
    }
    process.exit(1);
  }
  fs.writeFileSync(output, text);
}

if (require.main === module) {
  main();
}
module.exports = { rewrite };
