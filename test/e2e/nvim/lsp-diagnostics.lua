-- Neovim 0.7 headless as a second, independent LSP client for dist/server.js (stdio).
-- Run by run.sh:  nvim --headless -u NONE -i NONE -n -c 'luafile lsp-diagnostics.lua'
-- Inputs (env): DCR_SERVER (server bundle), DCR_FILE (broken template), DCR_OUT (result file),
-- DCR_EXPECT_TEXT (the text whose first occurrence the DCR001 range must start at).
-- Exits 0 on a match, 1 on timeout or mismatch (the details go to DCR_OUT).
local server = assert(os.getenv('DCR_SERVER'), 'DCR_SERVER not set')
local file = assert(os.getenv('DCR_FILE'), 'DCR_FILE not set')
local out = assert(os.getenv('DCR_OUT'), 'DCR_OUT not set')
local expect_text = os.getenv('DCR_EXPECT_TEXT') or '{% if where_clause %}'
local timeout_ms = tonumber(os.getenv('DCR_TIMEOUT_MS') or '20000')

local lines = {}
local function say(s) table.insert(lines, s) end
local function finish(ok)
  vim.fn.writefile(lines, out)
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

local ok_run, err = pcall(function()
  -- Expected 1-based line:col of the first occurrence of expect_text.
  local exp_line, exp_col
  for i, l in ipairs(vim.fn.readfile(file)) do
    local s = string.find(l, expect_text, 1, true)
    if s then exp_line, exp_col = i, s; break end
  end
  if not exp_line then say('FAIL: expected text not in ' .. file); return finish(false) end

  local t0 = vim.loop.hrtime()
  local client_id = vim.lsp.start_client({
    name = 'clean-room', cmd = { 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
  })
  if not client_id then say('FAIL: could not start ' .. server); return finish(false) end
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  vim.bo.filetype = 'jinjasql' -- so didOpen carries languageId "jinjasql"
  vim.lsp.buf_attach_client(0, client_id)

  local function dcr001()
    for _, d in ipairs(vim.diagnostic.get(0)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == 'DCR001' then return d end
    end
  end
  local got = vim.wait(timeout_ms, function() return dcr001() ~= nil end, 20)
  local ms = math.floor((vim.loop.hrtime() - t0) / 1e6)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    say(string.format('%s:%d:%d: [%s/%s] severity=%d %s', file, d.lnum + 1, d.col + 1, tostring(d.source),
      tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)), d.severity, d.message))
  end
  if not got then
    say(string.format('FAIL: TIMEOUT after %d ms: no DCR001 diagnostic', ms))
    vim.lsp.stop_client(client_id, true)
    return finish(false)
  end
  local d = dcr001()
  local problems = {}
  if d.lnum + 1 ~= exp_line or d.col + 1 ~= exp_col then
    table.insert(problems, string.format('position %d:%d, expected %d:%d', d.lnum + 1, d.col + 1, exp_line, exp_col))
  end
  if d.severity ~= vim.diagnostic.severity.ERROR then table.insert(problems, 'severity ' .. d.severity .. ', expected ERROR') end
  if d.source ~= 'clean-room' then table.insert(problems, 'source ' .. tostring(d.source) .. ', expected clean-room') end
  vim.lsp.stop_client(client_id)
  if #problems > 0 then
    say('FAIL: ' .. table.concat(problems, '; '))
    return finish(false)
  end
  say(string.format('PASS: DCR001 at %d:%d after %d ms', exp_line, exp_col, ms))
  finish(true)
end)
if not ok_run then say('FAIL: lua error: ' .. tostring(err)); finish(false) end
