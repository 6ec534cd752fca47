-- Headless Neovim (>= 0.11) test of the set-up snippets of editors/neovim/README.md, as written.
--
-- Run by tests/editors/run.sh as:  nvim --headless --clean -n -u nvim_snippet_test.lua
-- Environment:
--   RLSP_MODE      "path": the runtimepath + enable snippet, with the server only on PATH;
--                  "cmd": that snippet, then the vim.lsp.config one whose cmd is an absolute
--                  path under ~ (run.sh makes HOME a temp dir holding the binary there), with
--                  no rockcraft-lsp on PATH
--   RLSP_ROOT      the repository (replaces the README's /path/to/rockcraft-lsp)
--   RLSP_PROJECT   directory holding the flask fixture (rockcraft.yaml + other.yaml)
--   RLSP_OUT       result file: one "PASS|FAIL nvim-snippet-<mode>/<check>: <detail>" per check
--   RLSP_TIMEOUT_MS  watchdog (default 60000)

local uv = vim.uv or vim.loop
local env = vim.env
local mode = env.RLSP_MODE or 'path'
local lines_out = {}
local failed = false

local function record(ok, name, detail)
  if not ok then failed = true end
  local line = string.format('%s nvim-snippet-%s/%s: %s', ok and 'PASS' or 'FAIL', mode, name, detail or '')
  table.insert(lines_out, (line:gsub('\n', ' ')))
end

local out_path = os.getenv('RLSP_OUT')
local function write_out()
  local f = assert(io.open(out_path, 'w'))
  f:write(table.concat(lines_out, '\n'), '\n')
  f:close()
end

local timeout_ms = tonumber(env.RLSP_TIMEOUT_MS) or 60000
local watchdog = uv.new_timer()
watchdog:start(timeout_ms, 0, function()
  table.insert(lines_out, 'FAIL nvim-snippet-' .. mode .. '/watchdog: no result within ' .. timeout_ms .. ' ms')
  write_out()
  os.exit(124)
end)

-- The ```lua blocks of the README, in order.
local function lua_blocks(file)
  local blocks, cur = {}, nil
  for line in io.lines(file) do
    if cur then
      if line:match('^%s*```%s*$') then
        table.insert(blocks, table.concat(cur, '\n'))
        cur = nil
      else
        table.insert(cur, line)
      end
    elseif line:match('^%s*```lua%s*$') then
      cur = {}
    end
  end
  return blocks
end

local function find_block(blocks, needle)
  for _, b in ipairs(blocks) do
    if b:find(needle, 1, true) then return b end
  end
end

local function run_chunk(name, text)
  local chunk, err = loadstring(text, '=README ' .. name)
  if not chunk then return false, err end
  return pcall(chunk)
end

local function main()
  local blocks = lua_blocks(env.RLSP_ROOT .. '/editors/neovim/README.md')
  local setup = find_block(blocks, "vim.opt.runtimepath:append('/path/to/rockcraft-lsp/editors/neovim')")
  local options = find_block(blocks, "vim.lsp.config('rockcraft_ls', {")
  if not setup or not options then
    record(false, 'config', 'README blocks not found (runtimepath set-up: ' .. tostring(setup ~= nil)
      .. ', vim.lsp.config options: ' .. tostring(options ~= nil) .. ')')
    return
  end
  -- the placeholder the reader replaces with their checkout
  setup = setup:gsub('/path/to/rockcraft%-lsp', env.RLSP_ROOT)

  local on_path = vim.fn.exepath('rockcraft-lsp')
  local ok, err = run_chunk('set-up', setup)
  if ok and mode == 'cmd' then ok, err = run_chunk('options', options) end
  if not ok then
    record(false, 'config', 'the README snippet fails: ' .. tostring(err))
    return
  end
  local cfg = vim.lsp.config.rockcraft_ls
  local cmd = cfg and cfg.cmd and cfg.cmd[1]
  local want_path = (mode == 'path') == (on_path ~= '')
  record(cfg ~= nil and want_path and (mode == 'path' or (cmd and cmd:sub(1, 1) == '/')), 'config',
    string.format('cmd=%s, rockcraft-lsp on PATH: %s', vim.inspect(cfg and cfg.cmd),
      on_path ~= '' and on_path or 'no'))
  -- not part of the snippet: keeps the server in this process group so run.sh reaps it
  vim.lsp.config('rockcraft_ls', { detached = false })

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
  record(true, 'attach', string.format('server %s, root %s',
    client.server_info and client.server_info.name or '?', client.root_dir))

  local function prime()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'prime-prefix' then return d end
    end
  end
  vim.wait(15000, function() return prime() ~= nil end, 20)
  local d = prime()
  record(d ~= nil, 'diagnostic', d and string.format('prime-prefix at %d:%d', d.lnum + 1, d.col + 1)
    or ('no prime-prefix diagnostic; got ' .. #vim.diagnostic.get(bufnr)))
  client:stop()
  vim.wait(3000, function() return client:is_stopped() end, 20)
end

-- after start-up, once filetype detection is on, as for a user's init.lua
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
