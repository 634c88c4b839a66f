description = [[
Connects to a SAP MaxDB database manager server (DBM server, TCP 7210)
and runs two DBM commands: "dbm_version" (version, build, OS, install
root, system name) and "db_enum" (the installed databases: instance,
path, version, kernel, state), printed as nmap's script lays them out;
sets the port's product, version and OS type. netkit's script, from the
MaxDB DBM server's documented commands (SAP MaxDB library: DBM commands
dbm_version, db_enum) and the exchange observed on the wire: a connect
request to the "dbmsrv" service, then commands in 24-byte-header packets
(length, protocol 3, message class 0x3f), replies "OK" then lines.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "version", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service(7210, "maxdb", "tcp")

-- the connect request for the DBM server ("dbmsrv"), as observed on the
-- wire: RTE header (length 90, protocol 3, class 0x5b connect, sender 1,
-- receiver -1), connect parameters, the peer name and service
local CONNECT = "\x5a\x00\x00\x00\x03\x5b\x00\x00\x01\x00\x00\x00\xff\xff\xff\xff"
  .. "\x00\x00\x04\x00\x5a\x00\x00\x00\x00\x02\x42\x00\x04\x09\x00\x00"
  .. "\x00\x40\x00\x00\xd0\x3f\x00\x00\x00\x40\x00\x00\x70\x00\x00\x00"
  .. "\x00\x05\x00\x00\x00\x04\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00"
  .. "\x07\x49\x34\x32\x31\x36\x00\x04\x50\x1c\x2a\x03\x52\x01\x03\x72"
  .. "\x01\x09\x70\x64\x62\x6d\x73\x72\x76\x00"

-- a DBM command: the text padded with blanks to 8 bytes, behind the header
local function command(text)
  text = text .. string.rep(" ", -#text % 8)
  local n = 24 + #text
  return string.pack("<I4BBI2I4I4I4I4", n, 3, 0x3f, 0, 1, 0x13ac, 0x40000, n) .. text
end

-- one reply packet: its 24-byte header says how long it is
local function reply(sock)
  local buf = ""
  while true do
    if #buf >= 4 then
      local n = string.unpack("<I4", buf)
      if n < 24 or n > 0x100000 then return nil end
      if #buf >= n then return buf:sub(25, n) end
    end
    local ok, d = sock:receive_bytes(1)
    if not ok then return nil end
    buf = buf .. d
  end
end

local function exchange(sock, text)
  if not sock:send(command(text)) then return nil end
  local r = reply(sock)
  if not r or r:sub(1, 3) ~= "OK\n" then return nil end
  return r:sub(4)
end

-- columns padded to the widest cell, two blanks apart (the last unpadded)
local function columns(rows)
  local w = {}
  for _, r in ipairs(rows) do
    for i, c in ipairs(r) do w[i] = math.max(w[i] or 0, #c) end
  end
  local out = {}
  for _, r in ipairs(rows) do
    local cells = {}
    for i, c in ipairs(r) do
      cells[i] = i < #r and c .. string.rep(" ", w[i] - #c) or c
    end
    out[#out + 1] = table.concat(cells, "  ")
  end
  return out
end

local FIELDS = {{"VERSION", "Version"}, {"BUILD", "Build"}, {"OS", "OS"},
                {"INSTROOT", "Instroot"}, {"SYSNAME", "Sysname"}}

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local ok = sock:send(CONNECT) and reply(sock)
  local version = ok and exchange(sock, "dbm_version")
  if not version then
    sock:close()
    return "\n  ERROR: Failed to request version information from server"
  end
  local vals = {}
  for line in version:gmatch("[^\n]+") do
    local k, v = line:match("^(%S+)%s*=%s*(.-)%s*$")
    if k then vals[k] = v end
  end
  local out = {""}
  for _, f in ipairs(FIELDS) do
    if vals[f[1]] then out[#out + 1] = ("  %s: %s"):format(f[2], vals[f[1]]) end
  end
  local dbs = exchange(sock, "db_enum")
  sock:close()
  if dbs then
    local rows = {{"instance", "path", "version", "kernel", "state"}}
    for line in dbs:gmatch("[^\n]+") do
      local r = {}
      for cell in (line .. "\t"):gmatch("([^\t]*)\t") do r[#r + 1] = cell end
      rows[#rows + 1] = r
    end
    out[#out + 1] = "  Databases"
    for _, l in ipairs(columns(rows)) do out[#out + 1] = "    " .. l end
  end
  port.version = port.version or {}
  port.version.name = "maxdb"
  port.version.product = "SAP MaxDB"
  port.version.version = vals.VERSION
  port.version.ostype = vals.SYSNAME
  nmap.set_port_version(host, port, "hardmatched")
  return table.concat(out, "\n") .. "\n"
end
