// Unit tests of the README written into the VSIX (packaged-readme.js): npm test
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
const { rewrite } = require('../../packaged-readme.js') as {
  rewrite: (text: string, repository: string, ref: string, exists: (p: string) => boolean) => { text: string; errors: string[] };
};

const shipped = (p: string) => p === 'images/shot.png';
const readme = [
  'See [rockcraft](https://documentation.ubuntu.com/rockcraft/) and [the server](../../README.md).',
  '![a shot](images/shot.png) [setup](../neovim/README.md#setup) [up](#features)',
].join('\n');

describe('packaged README', () => {
  it('points relative links into the repository at the ref, keeps images, absolute links and anchors', () => {
    const { text, errors } = rewrite(readme, 'https://github.com/o/rockcraft-lsp/', 'v1.2.3', shipped);
    assert.deepEqual(errors, []);
    assert.equal(
      text,
      [
        'See [rockcraft](https://documentation.ubuntu.com/rockcraft/) and [the server](https://github.com/o/rockcraft-lsp/blob/v1.2.3/README.md).',
        '![a shot](images/shot.png) [setup](https://github.com/o/rockcraft-lsp/blob/v1.2.3/editors/neovim/README.md#setup) [up](#features)',
      ].join('\n'),
    );
  });
  it('without a repository, points the main README to the crate page and refuses other links', () => {
    const { text, errors } = rewrite(readme, '', 'HEAD', shipped);
    assert.match(text, /\[the server\]\(https:\/\/crates\.io\/crates\/rockcraft-lsp\)/);
    assert.deepEqual(errors, ['link ../neovim/README.md#setup: no repository URL to point it to (set `repository` in Cargo.toml)']);
  });
  it('refuses an image the extension does not ship and a link out of the repository', () => {
    const { errors } = rewrite('![x](images/missing.png) [y](../../../elsewhere.md)', 'https://h/r', 'HEAD', shipped);
    assert.deepEqual(errors, ['image images/missing.png is not a file of the extension', 'link ../../../elsewhere.md leaves the repository']);
  });
  it('packages this extension\'s README, even before the repository URL is known', () => {
    const dir = path.join(__dirname, '..', '..');
    const exists = (p: string) => fs.existsSync(path.join(dir, p));
    const { text, errors } = rewrite(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), '', 'HEAD', exists);
    assert.deepEqual(errors, []);
    assert.doesNotMatch(text, /\]\(\.\.\//);
  });
});
