description = [[
Reads a MySQL or MariaDB server's greeting (the protocol 10 initial
handshake packet, as the MySQL client/server protocol documents it) and
shows its version, connection id, capability flags, status and salt.
netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(3306, "mysql")

-- the low capability bits by name, and some of the extended ones
local CAPS = {
  {1, "LongPassword"}, {2, "FoundRows"}, {4, "LongColumnFlag"}, {8, "ConnectWithDatabase"},
  {16, "DontAllowDatabaseTableColumn"}, {32, "SupportsCompression"}, {64, "ODBCClient"},
  {128, "SupportsLoadDataLocal"}, {256, "IgnoreSpaceBeforeParenthesis"},
  {512, "Speaks41ProtocolNew"}, {1024, "InteractiveClient"}, {2048, "SwitchToSSLAfterHandshake"},
  {4096, "IgnoreSigpipes"}, {8192, "SupportsTransactions"}, {16384, "Speaks41ProtocolOld"},
  {32768, "Support41Auth"},
}
local EXT_CAPS = {{1, "SupportsMultipleStatments"}, {2, "SupportsMultipleResults"},
                  {8, "SupportsAuthPlugins"}}
local STATUS = {[1] = "InTransaction", [2] = "Autocommit", [8] = "MoreResults",
                [16] = "MultiQuery", [32] = "BadIndexUsed", [64] = "NoIndexUsed",
                [128] = "CursorExists", [256] = "LastRowSebd", [512] = "DatabaseDropped",
                [1024] = "NoBackslashEscapes"}

-- a list shown as "a, b, c" in normal output and as elements in XML
local function commas(t)
  return setmetatable(t, {__tostring = function(x) return table.concat(x, ", ") end})
end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local ok, d = sock:receive_bytes(4)
  while ok and #d >= 4 and #d < 4 + (string.unpack("<I3", d)) do
    local more
    ok, more = sock:receive()
    if ok then d = d .. more end
  end
  sock:close()
  if not ok or #d < 5 then return nil end
  local len = string.unpack("<I3", d)
  local p = d:sub(5, 4 + len)
  local out = stdnse.output_table()
  local proto = p:byte(1)
  if proto == 255 then
    local code, msg = string.unpack("<I2", p, 2), p:sub(4)
    return ("MySQL Error detected!\nError Code was: %d\n%s"):format(code, msg)
  end
  if proto ~= 10 then return nil end
  out.Protocol = proto
  local version, pos = string.unpack("z", p, 2)
  out.Version = version
  local tid, salt1
  tid, salt1, pos = string.unpack("<I4c8", p, pos)
  out["Thread ID"] = tid
  pos = pos + 1
  local caps, charset, status, caps_hi, alen
  caps, pos = string.unpack("<I2", p, pos)
  out["Capabilities flags"] = caps
  local some = {}
  for _, c in ipairs(CAPS) do if caps & c[1] ~= 0 then some[#some + 1] = c[2] end end
  if #p >= pos + 15 then
    charset, status, caps_hi, alen = string.unpack("<BI2I2B", p, pos)
    for _, c in ipairs(EXT_CAPS) do
      if caps_hi & c[1] ~= 0 then some[#some + 1] = c[2] end
    end
    out["Some Capabilities"] = commas(some)
    local st = {}
    for bit, name in pairs(STATUS) do if status & bit ~= 0 then st[#st + 1] = name end end
    table.sort(st)
    out.Status = table.concat(st, " ")
    pos = pos + 16
    local n2 = math.max(13, alen - 8)
    local salt2 = p:sub(pos, pos + n2 - 1):gsub("%z$", "")
    out.Salt = salt1 .. salt2
    pos = pos + n2
    if caps_hi & 8 ~= 0 and pos <= #p then
      out["Auth Plugin Name"] = (string.unpack("z", p .. "\0", pos))
    end
  else
    out["Some Capabilities"] = commas(some)
  end
  return out
end
