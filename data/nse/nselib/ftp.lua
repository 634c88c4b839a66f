-- netkit's `ftp` (ours, from RFC 959): the control connection's replies,
-- login, and a passive-mode listing.
local nmap = require "nmap"
local ftp = {}

-- the next complete reply: code, text (all its lines)
function ftp.read_reply(c)
  while true do
    local first = c.buf:match("^(%d%d%d)")
    if first then
      local s = c.buf:find("\n" .. first .. " [^\n]*\n") or (c.buf:find("^" .. first .. " [^\n]*\n") and 0)
      if s then
        local e = c.buf:find("\n", s + 1, true)
        local reply = c.buf:sub(1, e)
        c.buf = c.buf:sub(e + 1)
        return tonumber(first), reply:gsub("\r?\n$", "")
      end
    end
    local ok, d = c.sock:receive()
    if not ok then return nil, d end
    c.buf = c.buf .. d
  end
end

function ftp.connect(host, port, opts)
  local sock = nmap.new_socket()
  sock:set_timeout((opts and opts.timeout) or 8000)
  if not sock:connect(host, port) then return nil end
  local c = {sock = sock, buf = "", host = host}
  local code = ftp.read_reply(c)
  if code ~= 220 then sock:close(); return nil end
  return c
end

function ftp.command(c, cmd)
  if not c.sock:send(cmd .. "\r\n") then return nil end
  return ftp.read_reply(c)
end

function ftp.login(c, user, pass)
  local code, r = ftp.command(c, "USER " .. user)
  if code == 331 then code, r = ftp.command(c, "PASS " .. pass) end
  return code, r
end

-- PASV then cmd: the data connection's bytes, or nil
function ftp.list(c, cmd)
  local code, r = ftp.command(c, "PASV")
  if code ~= 227 then return nil end
  local a, b, cc, d, p1, p2 = r:match("(%d+),(%d+),(%d+),(%d+),(%d+),(%d+)")
  if not a then return nil end
  local data = nmap.new_socket()
  data:set_timeout(8000)
  if not data:connect(c.host, tonumber(p1) * 256 + tonumber(p2)) then return nil end
  code = ftp.command(c, cmd)
  if code ~= 150 and code ~= 125 then data:close(); return nil end
  local out = {}
  while true do
    local ok, d2 = data:receive()
    if not ok then break end
    out[#out + 1] = d2
  end
  data:close()
  ftp.read_reply(c) -- 226
  return table.concat(out)
end

return ftp
