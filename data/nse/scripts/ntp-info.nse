description = [[
Asks an NTP server for the time (a mode 3 client request, RFC 5905: its
receive timestamp, with the clock skew it implies) and for its system
variables (a mode 6 READVAR control request, RFC 1305 appendix B / RFC
9327): without verbosity version, processor, system, stratum and refid,
with -v the receive time and every variable (the XML has the time
always, as nmap 7.93's). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local datetime = require "datetime"
local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(123, "ntp", {"udp", "tcp"})

local EPOCH_1900 = 2208988800
local SHOWN = {"version", "processor", "system", "stratum", "refid"}

-- the server's receive timestamp (seconds since 1970), or nil
local function ask_time(sock)
  -- LI 0, VN 4, mode 3 (client); everything else zero
  sock:send(string.char(0x23) .. string.rep("\0", 47))
  local ok, d = sock:receive()
  if not ok or #d < 48 or d:byte(1) & 7 ~= 4 then return nil end
  return string.unpack(">I4", d, 33) - EPOCH_1900
end

-- the READVAR answer's text, its fragments put together by offset, or nil
local function ask_vars(sock)
  -- VN 2, mode 6; opcode 2 (read variables), sequence 1, association 0
  sock:send(string.char(0x16, 0x02) .. string.pack(">I2I2I2I2I2", 1, 0, 0, 0, 0))
  local parts, last = {}, nil
  for _ = 1, 64 do
    local ok, d = sock:receive()
    if not ok then break end
    if #d >= 12 and d:byte(1) & 7 == 6 and d:byte(2) & 0x9f == 0x82 then
      local _, _, off, count = string.unpack(">I2I2I2I2", d, 3)
      parts[#parts + 1] = {off, d:sub(13, 12 + count)}
      if d:byte(2) & 0x20 == 0 then last = true end
      if d:byte(2) & 0x40 ~= 0 then return nil end
    end
    if last then break end
  end
  if #parts == 0 then return nil end
  table.sort(parts, function(a, b) return a[1] < b[1] end)
  local text = {}
  for _, p in ipairs(parts) do text[#text + 1] = p[2] end
  return table.concat(text)
end

-- "a=1, b=\"x, y\", c" as {{"a", "1"}, {"b", "x, y"}, {"c", ""}}
local function split_vars(text)
  local vars, pos = {}, 1
  while pos <= #text do
    local s = text:match("^[%s,]*()", pos)
    if s > #text then break end
    local key, e = text:match("^([^=,]-)%s*=%s*()", s)
    local val
    if key and text:sub(e, e) == '"' then
      local q = text:find('"', e + 1, true) or #text + 1
      val, pos = text:sub(e + 1, q - 1), q + 1
    elseif key then
      local c = text:find(",", e, true) or #text + 1
      val, pos = text:sub(e, c - 1), c
    else
      local c = text:find(",", s, true) or #text + 1
      key, val, pos = text:sub(s, c - 1), "", c
    end
    key = key:match("^%s*(.-)%s*$")
    if key ~= "" then vars[#vars + 1] = {key, (val:match("^%s*(.-)%s*$"))} end
  end
  return vars
end

action = function(host, port)
  local sock = nmap.new_socket(port.protocol)
  sock:set_timeout(5000)
  if not sock:connect(host, port, port.protocol) then return nil end
  local t = ask_time(sock)
  if t then datetime.record_skew(host, t, os.time()) end
  local text = ask_vars(sock)
  sock:close()
  if not t and not text then return nil end
  local out = stdnse.output_table()
  local lines, verbose = {}, nmap.verbosity() > 0
  if t then
    out["receive time stamp"] = stdnse.format_timestamp(t)
    -- as nmap 7.93 shows it: the time in normal output only with -v
    if verbose then lines[#lines + 1] = "receive time stamp: " .. out["receive time stamp"] end
  end
  if text then
    local vars, by = split_vars(text), {}
    for _, kv in ipairs(vars) do by[kv[1]] = kv[2] end
    local keys = {}
    if verbose then
      for _, kv in ipairs(vars) do keys[#keys + 1] = kv[1] end
    else
      for _, k in ipairs(SHOWN) do if by[k] then keys[#keys + 1] = k end end
    end
    for _, k in ipairs(keys) do
      if out[k] == nil then
        out[k] = by[k]
        lines[#lines + 1] = k .. ": " .. by[k]
      end
    end
  end
  return out, "\n  " .. table.concat(lines, "\n  ")
end
