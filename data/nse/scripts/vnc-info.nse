description = [[
Reads a VNC server's RFB ProtocolVersion and the security types it offers
(RFC 6143, sections 7.1.1 and 7.1.2; protocol 3.3's single security type,
section 7.1.2's note on 3.3) and warns when None (1) is among them.
netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service({5900, 5901, 5902}, "vnc", "tcp", "open")

-- security type names: RFC 6143 section 8.1.2 and IANA's "RFB Security
-- Types" registry; 30 and 35 as nmap's documented output names them
local NAMES = {
  [0] = "Invalid", [1] = "None", [2] = "VNC Authentication", [5] = "RA2", [6] = "RA2ne",
  [16] = "Tight", [17] = "Ultra", [18] = "TLS", [19] = "VeNCrypt", [20] = "GTK-VNC SASL",
  [21] = "MD5 hash authentication", [22] = "Colin Dean xvp",
  [30] = "Mac OS X security type", [35] = "Mac OS X security type",
}

-- read exactly n bytes (less only when the peer stops)
local function read(sock, buf, n)
  while #buf < n do
    local ok, more = sock:receive()
    if not ok then return buf end
    buf = buf .. more
  end
  return buf
end

-- the security types after the version exchange: a list of numbers, or nil
-- and the server's reason / an error
local function sectypes(sock, minor)
  local d = read(sock, "", minor < 7 and 4 or 1)
  if minor < 7 then
    if #d < 4 then return nil, "no security type" end
    local t = string.unpack(">I4", d)
    if t ~= 0 then return {t} end
    d = d:sub(5)
  else
    if #d < 1 then return nil, "no security types" end
    local n = d:byte(1)
    if n > 0 then
      d = read(sock, d, 1 + n)
      local list = {}
      for i = 2, math.min(#d, 1 + n) do list[#list + 1] = d:byte(i) end
      return list
    end
    d = d:sub(2)
  end
  d = read(sock, d, 4)
  if #d < 4 then return nil, "connection failed" end
  local len = string.unpack(">I4", d)
  d = read(sock, d, 4 + len)
  return nil, d:sub(5, 4 + len)
end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local d = read(sock, "", 12)
  local major, minor = d:match("^RFB (%d%d%d)%.(%d%d%d)\n")
  if not major then
    sock:close()
    return nil
  end
  major, minor = tonumber(major), tonumber(minor)
  -- answer with the highest version both speak (3.3, 3.7 or 3.8)
  local cminor = (major > 3 or minor >= 8) and 8 or (minor >= 7 and 7 or 3)
  sock:send(("RFB 003.%03d\n"):format(cminor))
  local types, err = sectypes(sock, cminor)
  sock:close()
  local out = stdnse.output_table()
  out["Protocol version"] = ("%d.%d"):format(major, minor)
  if not types then
    out["ERROR"] = err
    return out
  end
  local list, none = {}, false
  for _, t in ipairs(types) do
    local e = stdnse.output_table()
    local name = NAMES[t] or "Unknown security type"
    e.name = name
    e.type = t
    local mt = getmetatable(e) or {}
    mt.__tostring = function() return ("%s (%d)"):format(name, t) end
    list[#list + 1] = setmetatable(e, mt)
    if t == 1 then none = true end
  end
  if #list > 0 then out["Security types"] = list end
  if none then out["WARNING"] = "Server does not require authentication" end
  return out
end
