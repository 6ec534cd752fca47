// Open a code-server workbench in headless Debian Chromium, wait for OUT_DIR/done (written by
// the extension's self-test; taking the screenshots it asks for meanwhile), then record what the UI shows (status-bar problem counts) and a
// screenshot.   node drive.js TOOLS_DIR URL OUT_DIR TIMEOUT_MS
const path = require('path');
const fs = require('fs');
const [tools, url, outDir, timeoutMs] = process.argv.slice(2);
const puppeteer = require(path.join(tools, 'node_modules', 'puppeteer-core'));

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || 'chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const ui = { console_errors: [] };
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 900 });
    page.on('console', (m) => { if (m.type() === 'error') ui.console_errors.push(m.text().slice(0, 300)); });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30000 });
    const deadline = Date.now() + Number(timeoutMs);
    while (Date.now() < deadline && !fs.existsSync(path.join(outDir, 'done'))) {
      // the self-test asks for screenshots along the way by writing NAME.request
      for (const f of fs.readdirSync(outDir)) {
        if (!f.endsWith('.request')) continue;
        await new Promise((r) => setTimeout(r, 1500));
        await page.screenshot({ path: path.join(outDir, f.replace(/\.request$/, '.png')) });
        fs.rmSync(path.join(outDir, f), { force: true });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    ui.extension_finished = fs.existsSync(path.join(outDir, 'done'));
    await new Promise((r) => setTimeout(r, 2000)); // let squiggles, hover and status bar render
    ui.problems_status = await page.evaluate(() => {
      const el = document.getElementById('status.problems');
      return el ? (el.getAttribute('aria-label') || el.textContent) : null;
    });
    await page.screenshot({ path: path.join(outDir, 'screenshot.png') });
  } finally {
    fs.writeFileSync(path.join(outDir, 'ui.json'), JSON.stringify(ui, null, 2));
    await browser.close();
  }
  process.exit(ui.extension_finished ? 0 : 1);
})().catch((e) => { console.error('drive.js:', e); process.exit(1); });
