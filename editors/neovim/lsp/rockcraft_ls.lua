-- rockcraft-lsp for Neovim >= 0.11 (nvim-lspconfig style config file).
--
-- Put the directory that contains this `lsp/` folder on 'runtimepath' (or copy the file to
-- ~/.config/nvim/lsp/rockcraft_ls.lua) and call:
--
--   vim.lsp.enable('rockcraft_ls')
--
-- Override anything with vim.lsp.config('rockcraft_ls', { cmd = { '/path/to/rockcraft-lsp' } }).
-- The server is attached only to buffers whose file is named `rockcraft.yaml`.

---@type vim.lsp.Config
return {
  cmd = { 'rockcraft-lsp' },
  filetypes = { 'yaml' },
  root_markers = { 'rockcraft.yaml', '.git' },
  -- root_dir takes precedence over root_markers; it is what limits the server to
  -- rockcraft.yaml (not calling on_dir means "don't attach to this buffer").
  root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if vim.fs.basename(name) ~= 'rockcraft.yaml' then
      return
    end
    on_dir(vim.fs.root(bufnr, { 'rockcraft.yaml', '.git' }) or vim.fs.dirname(name))
  end,
  -- initializationOptions understood by the server, e.g.
  --   experimentalExtensions = true,
  --   packages = { indexFiles = { '/var/lib/apt/lists/..._Packages' } },
  init_options = {},
}
