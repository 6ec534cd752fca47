-- Headless Neovim (>= 0.11) test of editors/neovim/lsp/rockcraft_ls.lua against the real server.
--
-- Run by tests/editors/run.sh as:  nvim --headless --clean -n -u nvim_test.lua
-- Environment:
--   RLSP_BIN       server binary
--   RLSP_EDITORS   the repository's editors/ directory
--   RLSP_PROJECT   directory holding the flask fixture (rockcraft.yaml + other.yaml)
--   RLSP_OUT       result file: one "PASS|FAIL <check>: <detail>" line per check
--   RLSP_TIMEOUT_MS  watchdog (default 60000)
--
-- Everything goes through Neovim's own client: vim.lsp.enable (so the config's
-- filetypes/root_dir decide whether to attach), vim.diagnostic, vim.lsp.buf.code_action with
-- apply=true (Neovim resolves and applies the edit itself); completion and hover are sent
-- with client:request_sync, as the omnifunc and `K` send them. Hover comes after the quick
-- fix: the expansion behind it succeeds only once the quick fix has repaired the prime entry;
-- then "Add Debian packages" (a command: the server applies the edit and moves the cursor);
-- then formatting through vim.lsp.buf.format.

local uv = vim.uv or vim.loop
local env = vim.env
local lines_out = {}
local failed = false

local function record(ok, name, detail)
  if not ok then failed = true end
  local line = string.format('%s nvim/%s: %s', ok and 'PASS' or 'FAIL', name, detail or '')
  table.insert(lines_out, (line:gsub('\n', ' ')))
end

-- read once: vim.env cannot be used from the watchdog's fast-event callback
local out_path = os.getenv('RLSP_OUT')

local function write_out()
  local f = assert(io.open(out_path, 'w'))
  f:write(table.concat(lines_out, '\n'), '\n')
  f:close()
end

local timeout_ms = tonumber(env.RLSP_TIMEOUT_MS) or 60000
local watchdog = uv.new_timer()
watchdog:start(timeout_ms, 0, function()
  table.insert(lines_out, 'FAIL nvim/watchdog: no result within ' .. timeout_ms .. ' ms')
  write_out()
  os.exit(124)
end)

local function find_pos(bufnr, needle, offset)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local s = string.find(l, needle, 1, true)
    if s then return i - 1, (s - 1) + (offset or #needle) end -- 0-based line, byte col
  end
end

-- LSP position for a byte column (the fixture is ASCII, but convert properly anyway).
local function lsp_pos(bufnr, row, col, client)
  local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
  local enc = client.offset_encoding or 'utf-16'
  local character = col
  if enc ~= 'utf-8' then character = vim.str_utfindex(line, enc, col, false) end
  return { line = row, character = character }
end

local function prime_prefix_diags(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'prime-prefix' then table.insert(out, d) end
  end
  return out
end

local function main()
  vim.opt.runtimepath:append(env.RLSP_EDITORS .. '/neovim')
  -- The user-facing setup, with only the binary path overridden.
  -- detached=false keeps the server in our process group, so timeout(1) in run.sh reaps it too.
  vim.lsp.config('rockcraft_ls', { cmd = { env.RLSP_BIN }, detached = false })
  vim.lsp.enable('rockcraft_ls')
  local cfg = vim.lsp.config.rockcraft_ls
  record(cfg ~= nil and cfg.cmd[1] == env.RLSP_BIN and vim.tbl_contains(cfg.filetypes or {}, 'yaml'),
    'config', 'lsp/rockcraft_ls.lua found on runtimepath, filetypes=' .. vim.inspect(cfg and cfg.filetypes))

  -- (0) another YAML file must not get the server
  vim.cmd.edit(vim.fn.fnameescape(env.RLSP_PROJECT .. '/other.yaml'))
  local other = vim.api.nvim_get_current_buf()
  vim.wait(1000, function() return false end, 50)
  local n_other = #vim.lsp.get_clients({ bufnr = other, name = 'rockcraft_ls' })
  record(vim.bo[other].filetype == 'yaml' and n_other == 0, 'not-attached-to-other-yaml',
    'filetype=' .. vim.bo[other].filetype .. ' clients=' .. n_other)

  vim.cmd.edit(vim.fn.fnameescape(env.RLSP_PROJECT .. '/rockcraft.yaml'))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].swapfile = false
  local client
  vim.wait(15000, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'rockcraft_ls' })[1]
    return client ~= nil and client.initialized
  end, 20)
  if not client then
    record(false, 'attach', 'rockcraft_ls did not attach to rockcraft.yaml')
    return
  end
  record(true, 'attach', string.format('server %s %s, encoding %s, root %s',
    client.server_info and client.server_info.name or '?', client.server_info and client.server_info.version or '?',
    client.offset_encoding, client.root_dir))

  -- (a) diagnostic on the prime entry
  vim.wait(15000, function() return #prime_prefix_diags(bufnr) > 0 end, 20)
  local pd = prime_prefix_diags(bufnr)
  local prow, pcol = find_pos(bufnr, '- app.py', 2)
  local d = pd[1]
  record(d ~= nil and d.lnum == prow and d.col == pcol, 'diagnostic',
    d and string.format('prime-prefix at %d:%d (%s)', d.lnum + 1, d.col + 1, d.message:sub(1, 60))
      or ('no prime-prefix diagnostic; got ' .. #vim.diagnostic.get(bufnr) .. ' diagnostics'))

  -- (b) completion in extensions:
  local erow, ecol = find_pos(bufnr, '  - flask', nil)
  local resp = client:request_sync('textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = lsp_pos(bufnr, erow, ecol, client),
    context = { triggerKind = 1 },
  }, 5000, bufnr)
  local labels = {}
  local result = resp and resp.result
  for _, it in ipairs(result and (result.items or result) or {}) do table.insert(labels, it.label) end
  -- The extensions the base offers without the experimental opt-in (spring-boot-framework is
  -- experimental on ubuntu@24.04, so it must not be suggested).
  local frameworks = { 'django-framework', 'expressjs-framework', 'fastapi-framework',
    'flask-framework', 'go-framework' }
  local missing = vim.tbl_filter(function(f) return not vim.tbl_contains(labels, f) end, frameworks)
  local experimental = vim.tbl_contains(labels, 'spring-boot-framework')
  if experimental then table.insert(missing, 'no spring-boot-framework (experimental)') end
  record(#missing == 0, 'completion', #missing == 0
    and ('extensions item offers ' .. table.concat(labels, ', '))
    or ('missing ' .. table.concat(missing, ', ') .. '; got ' .. table.concat(labels, ', ')))

  -- (c) quick fix through Neovim's own code-action path, applied to the buffer
  vim.api.nvim_win_set_cursor(0, { prow + 1, pcol })
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  local seen = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      table.insert(seen, a.title)
      return a.kind == 'quickfix' and a.title:find('flask/app/', 1, true) ~= nil
    end,
  })
  vim.wait(5000, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick end, 20)
  local fixed = vim.api.nvim_buf_get_lines(bufnr, prow, prow + 1, false)[1] or ''
  local ok_line = vim.trim(fixed) == '- flask/app/app.py'
  -- the server re-checks the edited buffer: the prime-prefix diagnostic goes away
  local cleared = vim.wait(10000, function() return #prime_prefix_diags(bufnr) == 0 end, 20)
  record(ok_line and cleared, 'quickfix', string.format('line now %q, prime-prefix cleared=%s (actions: %s)',
    vim.trim(fixed), tostring(cleared), table.concat(seen, ' | ')))

  -- (d) hover on the flask service name. The expansion runs in the background after the
  -- edit (and rockcraft refuses the project while a prime entry lacks its prefix, so this
  -- comes after the quick fix): poll until the hover shows the expanded gunicorn command.
  local srow, scol = find_pos(bufnr, '  flask:', 3)
  local md, gline = '', ''
  local deadline = uv.now() + 20000
  repeat
    local resp = client:request_sync('textDocument/hover', {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      position = lsp_pos(bufnr, srow, scol, client),
    }, 5000, bufnr)
    md = ''
    if resp and resp.result and resp.result.contents then
      md = table.concat(vim.lsp.util.convert_input_to_markdown_lines(resp.result.contents), '\n')
    end
    gline = md:match('[^\n]*gunicorn[^\n]*') or ''
    if gline == '' then vim.wait(250) end
  until gline ~= '' or uv.now() > deadline
  record(gline ~= '', 'hover', gline ~= '' and vim.trim(gline):sub(1, 100) or ('no gunicorn in: ' .. md:sub(1, 200)))

  -- (e) "Show the expanded project" on the extensions item: the server asks Neovim
  -- (window/showDocument) to open a read-only snapshot of the expansion
  local xrow, xcol = find_pos(bufnr, '  - flask', nil)
  vim.api.nvim_set_current_buf(bufnr)
  vim.api.nvim_win_set_cursor(0, { xrow + 1, xcol })
  local titles = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      table.insert(titles, a.title)
      return a.title:find('Show the expanded project', 1, true) ~= nil
    end,
  })
  local shown
  vim.wait(10000, function()
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_get_name(b):find('rockcraft.expanded.yaml', 1, true) then
        shown = b
        return true
      end
    end
    return false
  end, 20)
  local text = shown and table.concat(vim.api.nvim_buf_get_lines(shown, 0, -1, false), '\n') or ''
  local gshown = text:match('[^\n]*gunicorn[^\n]*') or ''
  local visible = shown ~= nil and #vim.fn.win_findbuf(shown) > 0
  local kept = vim.api.nvim_get_current_buf() == bufnr
  record(shown ~= nil and gshown ~= '' and vim.bo[shown].readonly and visible and kept, 'show-expanded',
    shown and string.format('%s (readonly=%s, in a window=%s, cursor kept in rockcraft.yaml=%s): %s',
      vim.api.nvim_buf_get_name(shown), tostring(vim.bo[shown].readonly), tostring(visible),
      tostring(kept), vim.trim(gshown):sub(1, 60))
      or ('no expanded document shown (actions: ' .. table.concat(titles, ' | ') .. ')'))

  -- (f) "Add Debian packages": the server applies a valid edit (an empty list to fill, never a
  -- placeholder name) and puts the cursor inside it with window/showDocument.
  vim.api.nvim_set_current_buf(bufnr)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  local adds = {}
  local tick2 = vim.api.nvim_buf_get_changedtick(bufnr)
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      if a.title:find('^Add ') then table.insert(adds, a.title) end
      return a.title == 'Add Debian packages to flask-framework/dependencies'
    end,
  })
  vim.wait(5000, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick2 end, 20)
  local lrow = find_pos(bufnr, 'stage-packages: []', 0)
  local want_col = lrow and #(vim.api.nvim_buf_get_lines(bufnr, lrow, lrow + 1, false)[1]) - 1
  local placed = lrow and vim.wait(5000, function()
    local cur = vim.api.nvim_win_get_cursor(0)
    return cur[1] == lrow + 1 and cur[2] == want_col
  end, 20)
  local cur = vim.api.nvim_win_get_cursor(0)
  record(#adds == 1 and lrow ~= nil and placed == true, 'add-packages',
    string.format('offered %s; list at line %s, cursor at %d:%d', table.concat(adds, ' | '),
      lrow and (lrow + 1) or 'none', cur[1], cur[2]))

  -- (g) formatting: the spacing disturbed on one line comes back through vim.lsp.buf.format,
  -- and nothing else moves.
  local srow = find_pos(bufnr, 'summary: ', 0)
  local want = srow and vim.api.nvim_buf_get_lines(bufnr, srow, srow + 1, false)[1]
  local formatted, count = '', -1
  if srow then
    local messy = want:gsub('^summary: ', 'summary:     ') .. '   '
    vim.api.nvim_buf_set_lines(bufnr, srow, srow + 1, false, { messy })
    count = vim.api.nvim_buf_line_count(bufnr)
    vim.lsp.buf.format({ bufnr = bufnr, name = 'rockcraft_ls', timeout_ms = 10000 })
    formatted = vim.api.nvim_buf_get_lines(bufnr, srow, srow + 1, false)[1]
  end
  record(srow ~= nil and formatted == want and vim.api.nvim_buf_line_count(bufnr) == count,
    'format', string.format('summary line after formatting: %q', formatted or ''))

  -- (g) inlay hints through Neovim's own display: what the extension adds, after its item
  vim.api.nvim_set_current_buf(bufnr)
  vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
  local hint_labels = {}
  vim.wait(10000, function()
    hint_labels = {}
    for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = bufnr })) do
      local label = h.inlay_hint.label
      if type(label) == 'table' then
        label = table.concat(vim.tbl_map(function(p) return p.value end, label), '')
      end
      table.insert(hint_labels, label)
    end
    return vim.iter(hint_labels):any(function(l) return l:find('^%+%d+ parts') ~= nil end)
  end, 50)
  local adds_hint = vim.iter(hint_labels):find(function(l) return l:find('^%+%d+ parts') ~= nil end)
  record(adds_hint ~= nil, 'inlay-hints', adds_hint or ('hints: ' .. table.concat(hint_labels, ' | ')))

  -- (h) semantic tokens: the extension name and the override of a generated service
  local ext_row, ext_col = find_pos(bufnr, '- flask-framework', 2)
  local svc_row, svc_col = find_pos(bufnr, '  flask:', 2)
  local function token_types(row, col)
    local types = {}
    for _, t in ipairs(vim.lsp.semantic_tokens.get_at_pos(bufnr, row, col) or {}) do
      local mods = {}
      for m, on in pairs(t.modifiers or {}) do if on then table.insert(mods, m) end end
      table.sort(mods)
      table.insert(types, t.type .. (#mods > 0 and ('+' .. table.concat(mods, '+')) or ''))
    end
    return table.concat(types, ',')
  end
  local ext_types, svc_types = '', ''
  vim.wait(10000, function()
    ext_types, svc_types = token_types(ext_row, ext_col), token_types(svc_row, svc_col)
    return ext_types ~= '' and svc_types ~= ''
  end, 50)
  record(ext_types == 'namespace' and svc_types == 'class+declaration+defaultLibrary', 'semantic-tokens',
    string.format('flask-framework: %s; service flask: %s', ext_types, svc_types))

  -- (i) folding ranges as Neovim folds (vim.lsp.foldexpr): the parts block folds
  local win = vim.api.nvim_get_current_win()
  vim.wo[win].foldmethod = 'expr'
  vim.wo[win].foldexpr = 'v:lua.vim.lsp.foldexpr()'
  local parts_row = find_pos(bufnr, 'parts:', 0)
  local level = 0
  vim.wait(10000, function()
    vim.cmd('normal! zx')
    level = vim.fn.foldlevel(parts_row + 2)
    return level > 0
  end, 50)
  record(level > 0, 'folding', string.format('fold level %d inside parts:', level))

  -- (j) code lenses: "Compare with what flask-framework generates" above the service override
  vim.lsp.codelens.refresh({ bufnr = bufnr })
  local lens_titles = {}
  vim.wait(10000, function()
    lens_titles = {}
    for _, l in ipairs(vim.lsp.codelens.get(bufnr)) do
      if l.command then table.insert(lens_titles, l.command.title) end
    end
    return vim.tbl_contains(lens_titles, 'Compare with what flask-framework generates')
  end, 50)
  record(vim.tbl_contains(lens_titles, 'Compare with what flask-framework generates'), 'code-lens',
    table.concat(lens_titles, ' | '))

  -- (k) go to definition of the overridden service: its generated entry in the expanded project
  vim.api.nvim_win_set_cursor(0, { svc_row + 1, svc_col })
  vim.lsp.buf.definition()
  local landed = ''
  vim.wait(10000, function()
    local name = vim.api.nvim_buf_get_name(0)
    if name:find('rockcraft.expanded.yaml', 1, true) then
      landed = vim.api.nvim_get_current_line()
      return true
    end
    return false
  end, 20)
  record(vim.trim(landed) == 'flask:', 'definition',
    string.format('%s, line %q', vim.api.nvim_buf_get_name(0), landed))

  client:stop()
  vim.wait(3000, function() return client:is_stopped() end, 20)
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    vim.schedule(function()
      local ok, err = xpcall(main, debug.traceback)
      if not ok then record(false, 'driver', tostring(err)) end
      watchdog:stop()
      write_out()
      vim.cmd(failed and 'cquit 1' or 'qa!')
    end)
  end,
})
